"""What one ingest run did, per file: the accounting rows and the exit code."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ingestion.sensitive import mask_text

LANDED = "landed"
REJECTED = "rejected"
SKIPPED = "skipped_duplicate_file"  # same content as a landed file (in the ledger, archived like a landed file)
# files passed over before reading (discover.py): not in the ledger, left where they are
PASSED_OVER = ("skipped_lock_file", "skipped_hidden_file", "skipped_manifest")


@dataclass
class FileOutcome:
    file_id: int | None  # None for a file passed over (never read, not in the ledger)
    file_name: str
    file_path: str
    status: str  # landed / rejected / skipped_duplicate_file / one of PASSED_OVER
    feed: str | None = None
    format: str | None = None
    encoding: str | None = None
    header_language: str | None = None
    sha256: str | None = None
    rows_read: int = 0
    rows_landed: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    message: str = ""
    archived_to: str | None = None

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.rows_landed + self.rows_quarantined + self.rows_duplicate

    def mask(self) -> FileOutcome:
        """Resident IDs, phones and card numbers in the names, paths and message masked (a file may be named
        after a person): what the ledger, the console and the run log get. Returns self."""
        self.file_name, self.file_path, self.message = (mask_text(t) for t in (self.file_name, self.file_path,
                                                                                self.message))
        self.archived_to = mask_text(self.archived_to) if self.archived_to else self.archived_to
        return self


@dataclass
class IngestReport:
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every file was processed (quarantined rows included), 1 when a file was rejected whole."""
        return 1 if any(f.status == REJECTED for f in self.files) else 0

    @property
    def reconciles(self) -> bool:
        return all(f.reconciles for f in self.files)

    def totals(self) -> dict[str, int]:
        return {
            name: sum(getattr(f, name) for f in self.files)
            for name in ("rows_read", "rows_landed", "rows_quarantined", "rows_duplicate")
        }

    def format_table(self) -> str:
        return format_table(self.files, self.totals())


def _width(text: str) -> int:
    """Display width in a terminal (Chinese characters take two columns)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def format_table(files: list[FileOutcome], totals: dict[str, int]) -> str:
    header = ["file", "feed", "read", "landed", "quarantined", "duplicate", "status"]
    rows = [
        [f.file_name, f.feed or "-", str(f.rows_read), str(f.rows_landed), str(f.rows_quarantined),
         str(f.rows_duplicate), f.status]
        for f in files
    ]
    rows.append(["TOTAL", "", *(str(totals[n]) for n in ("rows_read", "rows_landed", "rows_quarantined",
                                                         "rows_duplicate")), f"{len(files)} files"])
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = {2, 3, 4, 5}
    lines = []
    for n, row in enumerate([header, *rows]):
        if n == len(rows):  # before TOTAL
            lines.append("  ".join("-" * w for w in widths))
        lines.append("  ".join(_pad(cell, widths[i], i in numeric) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines)
