"""The vocabulary of the suites: a Check is one DataFrame (read from DuckDB by `sql`) and its rules.

Pure data (no Great Expectations import): the runner turns each Rule into a GX expectation with
`meta = {"severity": ..., "rule": ...}`.

SQL sees one attached catalog, `wh`: the build file being checked, with schemas `staging` and `marts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from expectations.report import CRITICAL, WARNING

# A contact exported with a stamp before its lead's issue time is tolerated up to this lag: the
# platforms' clocks and the export batching differ by up to a day. Beyond it, the lead or the
# contact carries a wrong timestamp (or the contact belongs to another lead).
EXPORT_LAG_HOURS = 24

# A feed is fresh when its latest record lies within this many days before the end of the latest
# month present in any feed: every feed is exported monthly, so a feed whose newest record is
# older than about six weeks missed at least one monthly export.
FRESHNESS_DAYS = 45


@dataclass(frozen=True)
class Rule:
    expectation: str  # GX expectation class name, e.g. "ExpectColumnValuesToBeBetween"
    kwargs: dict[str, Any]
    severity: str
    rule: str  # the rule in words (shown in failure reports)

    @property
    def column(self) -> str | None:
        col = self.kwargs.get("column")
        if col is None and "column_list" in self.kwargs:
            col = ",".join(self.kwargs["column_list"])
        return col


@dataclass(frozen=True)
class Check:
    suite: str
    table: str  # the table the rules are about (for reports)
    sql: str
    rules: tuple[Rule, ...]
    requires: tuple[str, ...] = field(default=())  # "<schema>.<table>" of `wh` that must exist


def between(
    column: str, lo: float | None, hi: float | None, severity: str = CRITICAL, rule: str = ""
) -> Rule:
    text = rule or f"{column} within [{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
    return Rule(
        "ExpectColumnValuesToBeBetween", {"column": column, "min_value": lo, "max_value": hi}, severity, text
    )


def non_negative(column: str, severity: str = CRITICAL) -> Rule:
    return between(column, 0, None, severity, f"{column} >= 0")


def rate(column: str, severity: str = CRITICAL) -> Rule:
    return between(column, 0, 1, severity, f"rate {column} within [0, 1]")


def not_null(column: str, severity: str = CRITICAL, rule: str = "") -> Rule:
    return Rule(
        "ExpectColumnValuesToNotBeNull", {"column": column}, severity, rule or f"{column} is never empty"
    )


def in_set(column: str, values: list[Any], severity: str = WARNING) -> Rule:
    return Rule(
        "ExpectColumnValuesToBeInSet",
        {"column": column, "value_set": values},
        severity,
        f"{column} in {{{', '.join(map(str, values))}}}",
    )


def unique(*columns: str, severity: str = CRITICAL) -> Rule:
    if len(columns) == 1:
        return Rule(
            "ExpectColumnValuesToBeUnique", {"column": columns[0]}, severity, f"{columns[0]} is unique"
        )
    return Rule(
        "ExpectCompoundColumnsToBeUnique",
        {"column_list": list(columns)},
        severity,
        f"({', '.join(columns)}) is unique (the grain)",
    )


def all_true(column: str, rule: str, severity: str = CRITICAL) -> Rule:
    return Rule("ExpectColumnValuesToBeInSet", {"column": column, "value_set": [True]}, severity, rule)
