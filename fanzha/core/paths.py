"""The data home: everything fanzha writes lives under FANZHA_HOME (default ./data).

Layout:
    inbox/              exports waiting to be ingested
    archive/YYYY-MM-DD/ inbox files after they landed
    landing.duckdb      raw exports, pseudonymised, with history, quarantine and ingest log
    build/<run_id>/     a warehouse being built (never read by the dashboard)
    warehouse.duckdb    the published warehouse (replaced by atomic rename)
    notices/YYYY-MM/    issued monthly notices and their revisions
    quality/            Great Expectations Data Docs
    logs/               one structured log per run
    secrets/pii.key     the pseudonymisation key when FANZHA_PII_KEY is not set (mode 0600)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
WAREHOUSE_PROJECT = REPO_ROOT / "warehouse"
SEEDS_DIR = WAREHOUSE_PROJECT / "seeds"


@dataclass(frozen=True)
class DataHome:
    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def landing(self) -> Path:
        return self.root / "landing.duckdb"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def notices(self) -> Path:
        return self.root / "notices"

    @property
    def quality(self) -> Path:
        return self.root / "quality"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def secrets(self) -> Path:
        return self.root / "secrets"

    def ensure(self) -> DataHome:
        for p in (self.root, self.inbox, self.archive, self.build, self.notices, self.quality, self.logs):
            p.mkdir(parents=True, exist_ok=True)
        return self


def data_home(root: str | os.PathLike[str] | None = None) -> DataHome:
    """The data home from an explicit path, else FANZHA_HOME, else ./data."""
    chosen = root if root is not None else os.environ.get("FANZHA_HOME", "data")
    return DataHome(Path(chosen).expanduser().resolve())
