"""Adapters to the other parts' Python entry points (docs/contracts.md §6), called in-process.

Each adapter imports its part lazily and turns "not there yet" into a clear message.
"""

from __future__ import annotations

import gc
import importlib
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

from fanzha.errors import UserError
from fanzha.paths import DataHome

PAUSE_ENV = "FANZHA_TEST_PAUSE_AT"  # tests only: ingest | build | check | publish
PAUSE_MARKER = "FANZHA_TEST_PAUSED"
NOTICE_KINDS = "all"  # one notice with a table per unit kind
NOTICE_FORMATS = ("xlsx", "docx", "html")
MANIFEST = "manifest.json"  # the generator's description of its files, not an export


def pause_if_asked(stage: str) -> None:
    """Test hook: print a marker and sleep at the end of `stage`, so a test can SIGKILL the run there."""
    if os.environ.get(PAUSE_ENV) == stage:
        print(f"{PAUSE_MARKER} {stage}", flush=True)
        time.sleep(float(os.environ.get("FANZHA_TEST_PAUSE_SECONDS", "600")))


def _optional(module: str) -> Any | None:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise


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
    # The submodule, not the package attribute: works even where `ingestion` resolves as a namespace
    # package (an editable install made before ingestion/__init__.py existed).
    module = _optional("ingestion.ingest")
    if module is None or not hasattr(module, "ingest_paths"):
        raise UserError("ingestion is not available (ingestion.ingest_paths is missing)", exit_code=1)
    return module.ingest_paths(home, files, archive_inbox=archive, quiet=True)


def build(home: DataHome, out: Path, *, full_refresh: bool) -> Any:
    build_module = _optional("fanzha.build")
    if build_module is None or not hasattr(build_module, "build_warehouse"):
        raise UserError("the warehouse build is not available (fanzha.build.build_warehouse is missing)", 1)
    try:
        return build_module.build_warehouse(home, out, full_refresh=full_refresh, quiet=True)
    finally:
        release_dbt_duckdb()


def release_dbt_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after an in-process build.

    dbt-duckdb caches one environment (and its DuckDB connection) per process; left open it keeps the
    build file attached, so the checks could not attach it and the publish would rename a file still
    held (with a possible WAL) by this very process.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if env is not None:
        env.close()
    gc.collect()


def data_months(warehouse: Path) -> list[date]:
    """Months present in the published warehouse's district mart, oldest first."""
    from fanzha.read_api import Reader

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


def issue_notices(home: DataHome, month: date) -> tuple[str, list[Any]]:
    """Issue the month's notices; ('skipped', []) with a reason when the notice part is not there yet."""
    issue = _optional("fanzha.notice.issue")
    if issue is None or not hasattr(issue, "issue_notices"):
        return "fanzha.notice.issue is not available yet", []
    from fanzha.read_api import Reader

    reader = Reader(home)
    try:
        results = issue.issue_notices(home, reader, month, NOTICE_KINDS, NOTICE_FORMATS)
    finally:
        reader.close()
    return "", list(results or [])
