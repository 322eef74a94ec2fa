"""Adapters to the other parts' Python entry points (docs/contracts.md §6), called in-process.

Each adapter imports its part lazily, so `fanzha --help` and a no-op run stay fast.
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Any

from fanzha.core.paths import DataHome

PAUSE_ENV = "FANZHA_TEST_PAUSE_AT"  # tests only: ingest | build | check | publish
PAUSE_MARKER = "FANZHA_TEST_PAUSED"
NOTICE_KINDS = "all"  # one notice with a table per unit kind
NOTICE_FORMATS = ("xlsx", "docx", "html")
MANIFEST = "manifest.json"  # the generator's description of its files, not an export
CONTINUED_BUILD_EXCLUDES = "tag:reference"  # the seeds and their tests: unchanged when the code is


def pause_if_asked(stage: str) -> None:
    """Test hook: print a marker and sleep at the end of `stage`, so a test can SIGKILL the run there."""
    if os.environ.get(PAUSE_ENV) == stage:
        print(f"{PAUSE_MARKER} {stage}", flush=True)
        time.sleep(float(os.environ.get("FANZHA_TEST_PAUSE_SECONDS", "600")))


def inbox_files(inbox: Path) -> list[Path]:
    """Export files waiting in the inbox (hidden files and the generator's manifest excluded)."""
    return sorted(
        p
        for p in inbox.rglob("*")
        if p.is_file()
        and p.name != MANIFEST
        and not any(part.startswith(".") for part in p.relative_to(inbox).parts)
    )


def ingest(home: DataHome, files: list[Path], *, archive: bool) -> Any:
    from ingestion.ingest import ingest_paths

    return ingest_paths(home, files, archive_inbox=archive, quiet=True)


def build(home: DataHome, out: Path, *, continued: bool, work_dir: Path) -> Any:
    """Build the warehouse into `out` (dbt's target and logs under `work_dir`), without the unit tests
    (CI runs those: `make test`); build_warehouse releases dbt-duckdb's handle on the file itself.

    A build that continues the last one (same code: workbuild.decide) leaves out the seeds and their tests
    (dbt tag `reference`): the reference tables it copied are the ones the same seed files loaded last time.
    """
    from fanzha.build import build_warehouse

    return build_warehouse(
        home, out, full_refresh=not continued, quiet=True, unit_tests=False, work_dir=work_dir,
        exclude=CONTINUED_BUILD_EXCLUDES if continued else None,
    )


def data_months(warehouse: Path) -> list[date]:
    """Months present in the published warehouse's district mart, oldest first."""
    from fanzha.core.read_api import Reader

    reader = Reader(path=warehouse)
    try:
        df = reader.query(
            "select distinct month from kpi_district_monthly where month is not null order by month"
        )
    finally:
        reader.close()
    return [m.date() if hasattr(m, "date") else m for m in df["month"].tolist()]


def latest_complete_month(months: list[date], today: date | None = None) -> date | None:
    """The latest month in the data that has ended (a month still running is not complete)."""
    current = (today or date.today()).replace(day=1)
    ended = [m for m in months if m < current]
    return max(ended) if ended else None


def issue_notices(home: DataHome, month: date) -> list[Any]:
    """Issue the month's notices (frozen revisions)."""
    from fanzha.core.read_api import Reader
    from fanzha.notice.issue import issue_notices as issue_frozen

    reader = Reader(home)
    try:
        results = issue_frozen(home, reader, month, NOTICE_KINDS, NOTICE_FORMATS)
    finally:
        reader.close()
    return list(results or [])
