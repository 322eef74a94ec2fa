"""The check report: table layout, failure lines, and the JSON kept in the publish record."""

from __future__ import annotations

import json

from expectations.report import CRITICAL, WARNING, CheckReport, CheckResult, describe_failures, format_table


def result(column: str | None, severity: str, success: bool, unexpected: int | None) -> CheckResult:
    return CheckResult(
        "mart_x",
        "kpi",
        "expect_column_values_to_be_between",
        column,
        severity,
        success,
        unexpected,
        f"{column} within [0, 1]",
    )


REPORT = CheckReport(
    results=[
        result("a_rate", CRITICAL, False, 3),
        result("b_rate", WARNING, False, 2),
        result("c_rate", CRITICAL, True, 0),
    ],
    freshness=[{"feed": "alerts", "days_behind": 5}],
)


def test_summary_and_gate() -> None:
    assert REPORT.summary() == {"expectations": 3, "passed": 1, "critical_failures": 1, "warnings": 1}
    assert not REPORT.ok
    assert CheckReport(results=[result("b_rate", WARNING, False, 2)]).ok


def test_table_lists_failures_only_by_default() -> None:
    lines = format_table(REPORT, only_failures=True).splitlines()
    assert lines[0].split() == ["suite", "table", "expectation", "severity", "result", "unexpected"]
    assert [line.split()[2:] for line in lines[2:4]] == [
        ["expect_column_values_to_be_between(a_rate)", "critical", "FAIL", "3"],
        ["expect_column_values_to_be_between(b_rate)", "warning", "FAIL", "2"],
    ]
    assert lines[-1] == "3 expectations: 1 passed, 1 critical failures, 1 warnings"
    assert len(format_table(REPORT).splitlines()) == 6


def test_failure_lines_name_table_expectation_and_rows() -> None:
    assert describe_failures(REPORT) == [
        "kpi: expect_column_values_to_be_between(a_rate) failed on 3 rows — a_rate within [0, 1]"
    ]


def test_json_round_trip() -> None:
    payload = json.loads(REPORT.to_json())
    assert payload["summary"]["critical_failures"] == 1
    assert [r["column"] for r in payload["results"]] == ["a_rate", "b_rate", "c_rate"]
    assert json.loads(REPORT.freshness_json()) == [{"feed": "alerts", "days_behind": 5}]
