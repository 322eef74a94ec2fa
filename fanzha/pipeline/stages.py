"""Adapters to the other parts' Python entry points (docs/contracts.md §6), called in-process.

Each adapter imports its part lazily, so `fanzha --help` and a no-op run stay fast.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fanzha.core.paths import DataHome

NOTICE_KINDS = "all"  # one notice with a table per unit kind
NOTICE_FORMATS = ("xlsx", "docx", "html")
CONTINUED_BUILD_EXCLUDES = "tag:reference"  # the seeds and their tests: unchanged when the code is


def ingest(home: DataHome, inbox: Path, *, archive: bool) -> Any:
    """Ingest the inbox; which files are taken (and which passed over, and why) is ingestion's one rule."""
    from ingestion.ingest import ingest_paths

    return ingest_paths(home, [inbox], archive_inbox=archive, quiet=True)


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
