"""Ingestion: land the district's export files into landing.duckdb (docs/contracts.md §3 and §6).

`ingest_paths(home, paths, *, archive_inbox, quiet) -> IngestReport` is the entry point other parts call;
`ingestion.command` is `fanzha ingest`. Heavy modules are imported on first use so `fanzha --help` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingestion.ingest import ingest_paths
    from ingestion.report import FileOutcome, IngestReport

__all__ = ["FileOutcome", "IngestReport", "ingest_paths"]


def __getattr__(name: str) -> Any:
    if name == "ingest_paths":
        from ingestion.ingest import ingest_paths

        return ingest_paths
    if name in ("IngestReport", "FileOutcome"):
        from ingestion import report

        return getattr(report, name)
    raise AttributeError(name)
