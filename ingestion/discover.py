"""Which files an ingest call takes, in which order (docs/contracts.md §3, "Export order"), and which it passes
over and why. `select_exports` is the one rule for `fanzha ingest` and `fanzha run` alike.

Every file found under a folder, or named explicitly, is either taken or passed over with a reason:
- an Excel lock file (`~$预警线索_2023-11.xlsx`: Excel holds it while the workbook is open) — skipped;
- a hidden file (`.DS_Store`, `._x.csv`, anything under a hidden folder) — skipped;
- the generator's `manifest.json` (it describes the exports of a synthetic scenario) — skipped.
Nothing is passed over in silence: the report names each of these with its status. Every other file is taken;
one whose extension is not a supported export's (EXPORT_SUFFIXES) is then rejected by name (batch.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fanzha.core.errors import UserError
from ingestion.sensitive import mask_text

EXPORT_SUFFIXES = (".csv", ".xlsx", ".xls", ".htm", ".html")  # .xls/.htm(l): BIFF or an HTML table, by content
NOT_AN_EXPORT = "not a supported export (CSV, XLSX, XLS)"
MANIFEST = "manifest.json"

SKIPPED_LOCK = "skipped_lock_file"
SKIPPED_HIDDEN = "skipped_hidden_file"
SKIPPED_MANIFEST = "skipped_manifest"


@dataclass(frozen=True)
class PassedOver:
    path: Path
    status: str  # one of the SKIPPED_* statuses above
    reason: str


@dataclass
class Selection:
    files: list[Path] = field(default_factory=list)  # to ingest, in export order
    passed_over: list[PassedOver] = field(default_factory=list)  # in path order


def passed_over_because(path: Path, parts: tuple[str, ...]) -> PassedOver | None:
    """Why a file is not taken (None: it is). `parts` is its path below the folder it was found in."""
    name = path.name
    if name.startswith("~$"):
        return PassedOver(path, SKIPPED_LOCK, "an Excel lock file (the workbook is open in Excel), not an export")
    if any(part.startswith(".") for part in parts):
        return PassedOver(path, SKIPPED_HIDDEN, "a hidden file, not an export")
    if name == MANIFEST:
        return PassedOver(path, SKIPPED_MANIFEST, "the generator's manifest of the exports, not an export")
    return None


def select_exports(paths: list[Path]) -> Selection:
    """The files to ingest at `paths` (files or folders, searched recursively), each once, in export order,
    and the files passed over with their reasons.

    A path that does not exist is a usage error (exit 2) raised before anything is ingested.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UserError(f"no such file or folder: {mask_text(', '.join(missing))}", 2)
    found: dict[Path, tuple[str, ...]] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    found.setdefault(child.resolve(), child.relative_to(path).parts)
        else:
            found.setdefault(path.resolve(), (path.name,))
    selection = Selection()
    for path, parts in sorted(found.items()):
        why = passed_over_because(path, parts)
        if why:
            selection.passed_over.append(why)
        else:
            selection.files.append(path)
    selection.files.sort(key=export_order_key)
    return selection


def revision(name: str) -> int:
    """1 for an original export, 2 for `_更正` or `_rev2`, n for `_revN` / `_更正N` (N+1)."""
    match = re.search(r"_rev(\d+)", name, re.IGNORECASE)
    if match:
        return int(match.group(1))
    match = re.search(r"更正(\d*)", name)
    if match:
        return int(match.group(1) or 1) + 1
    return 1


def month(name: str) -> str:
    """The YYYY-MM an export covers, from its file name ('' when the name carries none)."""
    match = re.search(r"(?<!\d)(20\d{2})[-_.年]?(0[1-9]|1[0-2])(?!\d)", name)
    return f"{match.group(1)}-{match.group(2)}" if match else ""


def export_order_key(path: Path) -> tuple[str, int, str]:
    return (month(path.name), revision(path.name), path.name)
