"""The GX gate on a hand-built build file whose right answers are known by construction.

The clean build file holds what dbt leaves for the gate: staging models (the current version of each
record) and the marts the suites read. District 130506, months 2023-11 and 2023-12:

    staging: leads A1 (2023-11-03 09:00) and A2 (2023-12-04 09:00); contacts C1 (A1, one hour after) and
             C2 (A2, 2023-12-05); case K1 occurred 2023-12-09, reported 2023-12-10, loss 2000 元;
             interception I1 2023-12-06, 300 元; activity W1 2023-12-15; one landed file, 3 = 1 + 1 + 1 rows.
    marts:   kpi_district_monthly with exactly those sums per month; dq_feed_freshness with each feed
             1–28 days behind; scores with weights ≥ 0; ranks 1 and 2 of 2.

Each test breaks one thing and checks that exactly that expectation fails, on that table, with that many
rows, at that severity.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from expectations import format_table, run_checks
from expectations.mart_suites import RECONCILED

D = "130506"


def build_file(path: Path, *, contact_at: str = "2023-12-05 10:00:00") -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema staging; create schema marts")
    con.execute("""create table staging.stg_landing__alerts as select * from (values
        ('A1', timestamp '2023-11-03 09:00:00'), ('A2', timestamp '2023-12-04 09:00:00')) t(alert_id, issued_at)""")
    con.execute(
        """create table staging.stg_landing__contacts as select * from (values
        ('C1', 'A1', timestamp '2023-11-03 10:00:00'), ('C2', 'A2', ?::timestamp)) t(action_id, alert_id, action_at)""",
        [contact_at],
    )
    con.execute("""create table staging.stg_landing__cases as select * from (values
        ('K1', timestamp '2023-12-10 10:00:00', timestamp '2023-12-09 10:00:00', 2000.0)
        ) t(case_id, reported_at, occurred_at, loss_amount)""")
    con.execute("""create table staging.stg_landing__interceptions as select * from (values
        ('I1', timestamp '2023-12-06 10:00:00', 300.0)) t(interception_id, stopped_at, amount)""")
    con.execute("""create table staging.stg_landing__activities as select * from (values
        ('W1', date '2023-12-15')) t(activity_id, activity_date)""")
    con.execute("""create table staging.stg_landing__ingest_log as select * from (values
        ('alerts_2023-11.csv', 'landed', 3, 1, 1, 1)
        ) t(file_name, status, rows_read, rows_landed, rows_quarantined, rows_duplicate)""")
    con.execute(f"""create table marts.kpi_district_monthly as select * from (values
        ('{D}', date '2023-11-01', 1, 0, 0.0, 0.0, 0), ('{D}', date '2023-12-01', 1, 1, 2000.0, 300.0, 1)
        ) t(district_code, month, leads, cases, loss_amount, intercepted_amount, activities_total)""")
    con.execute("alter table marts.kpi_district_monthly alter loss_amount type double")
    con.execute(f"""create table marts.fct_interceptions as select * from (values
        ('I1', date '2023-12-01', '{D}', 300.0)) t(interception_id, month, district_code, amount)""")
    con.execute("""create table marts.dq_feed_freshness as select * from (values
        ('activities', timestamp '2023-12-15 00:00:00', 1, 17),
        ('alerts', timestamp '2023-12-04 09:00:00', 2, 28),
        ('cases', timestamp '2023-12-10 10:00:00', 1, 22),
        ('contacts', timestamp '2023-12-05 10:00:00', 2, 27),
        ('interceptions', timestamp '2023-12-06 10:00:00', 1, 26)
        ) t(feed, latest_record_at, rows_landed, days_behind)""")
    con.execute("""alter table marts.dq_feed_freshness add column latest_file_loaded_at timestamp""")
    con.execute("""alter table marts.dq_feed_freshness add column period_end timestamp default '2024-01-01'""")
    con.execute("""create table marts.score_unit_monthly as select * from (values
        ('T1', date '2023-12-01', 'face_to_face_rate', 10.0), ('T2', date '2023-12-01', 'face_to_face_rate', 10.0)
        ) t(unit_code, month, indicator, weight)""")
    con.execute("""create table marts.ranking_unit_monthly as select * from (values
        ('T1', date '2023-12-01', 5.0, 2, 2), ('T2', date '2023-12-01', 10.0, 1, 2)
        ) t(unit_code, month, total_score, rank, units_in_kind)""")
    con.close()
    return path


@pytest.fixture
def build(tmp_path: Path) -> Path:
    return build_file(tmp_path / "warehouse.duckdb")


def alter(path: Path, sql: str) -> None:
    con = duckdb.connect(str(path))
    con.execute(sql)
    con.close()


def failures(report) -> set[tuple[str, str, str | None, str, int | None]]:
    return {
        (r.table, r.expectation, r.column, r.severity, r.unexpected_count)
        for r in report.results
        if not r.success
    }


def test_clean_build_passes_every_suite_and_writes_data_docs(build: Path, tmp_path: Path) -> None:
    report = run_checks(build, docs_dir=tmp_path / "quality")
    assert failures(report) == set(), format_table(report, only_failures=True)
    # contact lag 1, case order 1, ledger 1, freshness 2, reconciliation 5, awaiting attribution 1, assessment 3
    assert report.ok and len(report.results) == 9 + len(RECONCILED)
    assert (tmp_path / "quality" / "index.html").is_file()
    # The publish record's freshness is the mart's, as dbt computed it.
    fresh = {row["feed"]: row["days_behind"] for row in report.freshness}
    assert fresh == {"alerts": 28, "contacts": 27, "interceptions": 26, "cases": 22, "activities": 17}


@pytest.mark.parametrize(
    ("contact_at", "ok"), [("2023-12-03 10:00:00", True), ("2023-12-03 08:00:00", False)]
)
def test_contact_before_issue_beyond_export_lag(tmp_path: Path, contact_at: str, ok: bool) -> None:
    # A2 was issued 2023-12-04 09:00: 23 h earlier is within the 24 h lag, 25 h earlier is not.
    report = run_checks(build_file(tmp_path / "warehouse.duckdb", contact_at=contact_at))
    expected = (
        set()
        if ok
        else {("stg_landing__contacts", "expect_column_values_to_be_between", "hours_before_issue", "critical", 1)}
    )
    assert failures(report) == expected


def test_stale_feed_blocks(build: Path) -> None:
    # Contacts stopped on 2023-11-03: 59 days before the end of December, as dq_feed_freshness says.
    alter(build, "update marts.dq_feed_freshness set latest_record_at = '2023-11-03 10:00:00', days_behind = 59 "
                 "where feed = 'contacts'")
    report = run_checks(build)
    assert failures(report) == {
        ("dq_feed_freshness", "expect_column_values_to_be_between", "days_behind", "critical", 1)
    }
    assert {r["feed"]: r["days_behind"] for r in report.freshness}["contacts"] == 59


def test_a_feed_without_records_blocks(build: Path) -> None:
    alter(build, "update marts.dq_feed_freshness set latest_record_at = null, days_behind = null "
                 "where feed = 'activities'")
    assert failures(run_checks(build)) == {
        ("dq_feed_freshness", "expect_column_values_to_not_be_null", "latest_record_at", "critical", 1)
    }


def test_a_staged_interception_missing_from_the_district_kpis(build: Path) -> None:
    # A second interception of 50 元 in November reached staging but no mart: November is off by 50 元.
    alter(build, "insert into staging.stg_landing__interceptions values ('I2', '2023-11-20 10:00:00', 50.0)")
    assert failures(run_checks(build)) == {
        ("kpi_district_monthly", "expect_column_values_to_be_between", "intercepted_amount_diff", "critical", 1)
    }


def test_an_interception_awaiting_its_lead_reconciles_and_warns(build: Path) -> None:
    # I2 (50 元, November) is in fct_interceptions, but its lead has not landed: no district counts it yet.
    # The money is accounted for (no reconciliation failure); the run warns that 1 interception waits.
    alter(build, "insert into staging.stg_landing__interceptions values ('I2', '2023-11-20 10:00:00', 50.0)")
    alter(build, "insert into marts.fct_interceptions values ('I2', '2023-11-01', null, 50.0)")
    report = run_checks(build)
    assert report.ok
    assert failures(report) == {
        ("fct_interceptions", "expect_column_values_to_not_be_null", "district_code", "warning", 1)
    }
    # Counted twice (a district has it and it also waits) is caught: November is then 50 元 over.
    alter(build, "update marts.kpi_district_monthly set intercepted_amount = 50.0 where month = '2023-11-01'")
    assert failures(run_checks(build)) == {
        ("fct_interceptions", "expect_column_values_to_not_be_null", "district_code", "warning", 1),
        ("kpi_district_monthly", "expect_column_values_to_be_between", "intercepted_amount_diff", "critical", 1),
    }


def test_money_reconciles_to_the_cent(build: Path) -> None:
    alter(build, "update marts.kpi_district_monthly set loss_amount = 2000.004 where month = '2023-12-01'")
    assert failures(run_checks(build)) == set()
    alter(build, "update marts.kpi_district_monthly set loss_amount = 2000.006 where month = '2023-12-01'")
    assert failures(run_checks(build)) == {
        ("kpi_district_monthly", "expect_column_values_to_be_between", "loss_amount_diff", "critical", 1)
    }


def test_a_month_only_the_marts_have_counts_too(build: Path) -> None:
    # A lead counted in January that staging does not hold (counted twice somewhere on the way).
    alter(build, f"insert into marts.kpi_district_monthly values ('{D}', '2024-01-01', 1, 0, 0.0, 0.0, 0)")
    assert failures(run_checks(build)) == {
        ("kpi_district_monthly", "expect_column_values_to_be_between", "leads_diff", "critical", 1)
    }


def test_unaccounted_ingest_rows_and_rank_out_of_range(build: Path) -> None:
    alter(build, "update staging.stg_landing__ingest_log set rows_read = 4")
    alter(build, "update marts.ranking_unit_monthly set rank = 3 where unit_code = 'T1'")
    assert failures(run_checks(build)) == {
        ("stg_landing__ingest_log", "expect_column_values_to_be_between", "rows_unaccounted", "critical", 1),
        ("ranking_unit_monthly", "expect_column_values_to_be_in_set", "rank_in_range", "critical", 1),
    }


def test_warning_only_failure_and_a_missing_table(build: Path) -> None:
    alter(build, "update staging.stg_landing__cases set reported_at = '2023-12-08 10:00:00'")
    report = run_checks(build)
    assert report.ok  # a case reported before it occurred is a warning, not a gate
    assert [(r.table, r.column, r.unexpected_count) for r in report.warnings] == [
        ("stg_landing__cases", "seconds_occurred_to_reported", 1)
    ]
    alter(build, "drop table staging.stg_landing__contacts")
    report = run_checks(build)
    assert failures(report) == {
        ("stg_landing__cases", "expect_column_values_to_be_between", "seconds_occurred_to_reported", "warning", 1),
        ("stg_landing__contacts", "table_exists", None, "critical", None),
    }
    assert not report.ok


def test_fanzha_check_prints_the_failure_and_exits_1(build: Path, tmp_path: Path) -> None:
    from tests.fixtures.cli import run_fanzha

    alter(build, "update marts.score_unit_monthly set weight = -1 where unit_code = 'T2'")
    result = run_fanzha(tmp_path, "check", "--warehouse", str(build), check=False)
    assert result.returncode == 1, result.stderr
    failing = [line.split() for line in result.stdout.splitlines() if "FAIL" in line]
    assert failing == [
        [
            "mart_score_unit_monthly",
            "score_unit_monthly",
            "expect_column_values_to_be_between(weight)",
            "critical",
            "FAIL",
            "1",
        ]
    ]
    assert (tmp_path / "quality" / "index.html").is_file()


def test_fanzha_check_on_a_published_file_says_to_check_a_build(tmp_path: Path) -> None:
    from tests.fixtures.cli import run_fanzha

    published = tmp_path / "warehouse.duckdb"
    alter(published, "create schema marts; create table marts.kpi_district_monthly (month date)")
    result = run_fanzha(tmp_path, "check", "--warehouse", str(published), check=False)
    assert result.returncode == 2
    assert "has no staging schema (a published warehouse holds the marts only)" in result.stderr
    assert "Traceback" not in result.stderr
