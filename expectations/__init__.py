"""Great Expectations suites (as code) and their runner: the gate before a warehouse is published.

`run_checks(warehouse)` is imported lazily so importing this package stays cheap (GX takes seconds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from expectations.report import CRITICAL, WARNING, CheckReport, CheckResult, describe_failures, format_table

if TYPE_CHECKING:
    from expectations.runner import run_checks

__all__ = [
    "CRITICAL",
    "WARNING",
    "CheckReport",
    "CheckResult",
    "describe_failures",
    "format_table",
    "run_checks",
]


def __getattr__(name: str) -> Any:
    if name == "run_checks":
        from expectations.runner import run_checks

        return run_checks
    raise AttributeError(name)
