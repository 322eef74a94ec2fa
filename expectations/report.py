"""What a check run found: one row per expectation, plus the feed freshness the publish record carries.

Pure data and formatting; no Great Expectations import (the CLI and the pipeline print reports cheaply).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

CRITICAL = "critical"
WARNING = "warning"


@dataclass(frozen=True)
class CheckResult:
    suite: str
    table: str
    expectation: str  # GX expectation type, e.g. expect_column_values_to_be_between
    column: str | None
    severity: str  # critical | warning
    success: bool
    unexpected_count: int | None  # rows breaking the rule (None when not row-based, e.g. table missing)
    rule: str  # what the rule means, in words
    detail: str = ""  # sample of unexpected values or the error

    @property
    def label(self) -> str:
        return f"{self.expectation}({self.column})" if self.column else self.expectation


@dataclass
class CheckReport:
    results: list[CheckResult] = field(default_factory=list)
    freshness: list[dict[str, Any]] = field(default_factory=list)
    docs_index: str | None = None
    seconds: float = 0.0

    @property
    def critical_failures(self) -> list[CheckResult]:
        return [r for r in self.results if not r.success and r.severity == CRITICAL]

    @property
    def warnings(self) -> list[CheckResult]:
        return [r for r in self.results if not r.success and r.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.critical_failures

    def summary(self) -> dict[str, int]:
        return {
            "expectations": len(self.results),
            "passed": sum(r.success for r in self.results),
            "critical_failures": len(self.critical_failures),
            "warnings": len(self.warnings),
        }

    def to_json(self) -> str:
        """The expectation results as stored in `fanzha_publish.expectations_json`."""
        payload = {"summary": self.summary(), "results": [asdict(r) for r in self.results]}
        return json.dumps(payload, ensure_ascii=False, default=str)

    def freshness_json(self) -> str:
        return json.dumps(self.freshness, ensure_ascii=False, default=str)


def format_table(report: CheckReport, *, only_failures: bool = False) -> str:
    """A short fixed-width table: suite, table, expectation, severity, result, unexpected rows."""
    rows = [r for r in report.results if not (only_failures and r.success)]
    header = ("suite", "table", "expectation", "severity", "result", "unexpected")
    body = [
        (
            r.suite,
            r.table,
            r.label,
            r.severity,
            "ok" if r.success else "FAIL",
            "" if r.unexpected_count is None else str(r.unexpected_count),
        )
        for r in rows
    ]
    lines = []
    if body:
        widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(header)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)).rstrip() for b in body]
    s = report.summary()
    lines.append(
        f"{s['expectations']} expectations: {s['passed']} passed, "
        f"{s['critical_failures']} critical failures, {s['warnings']} warnings"
    )
    return "\n".join(lines)


def describe_failures(report: CheckReport) -> list[str]:
    """One readable line per critical failure: which expectation failed on which table, how many rows."""
    out = []
    for r in report.critical_failures:
        if r.expectation == "table_exists":
            out.append(f"{r.table}: table missing — {r.rule}")
            continue
        rows = "" if r.unexpected_count is None else f" on {r.unexpected_count} rows"
        extra = f" ({r.detail})" if r.detail else ""
        out.append(f"{r.table}: {r.label} failed{rows} — {r.rule}{extra}")
    return out
