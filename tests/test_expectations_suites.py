"""The GX gate on hand-built landing and warehouse files whose right answers are known by construction.

The clean fixture: district 130506 with townships T1 (130506100) and T2 (130506101), one village of T1,
one member unit, two months (2023-11, 2023-12). Each test breaks one thing and checks that exactly that
expectation fails, on that table, with that many rows, at that severity.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from expectations import format_table, run_checks
from expectations.mart_suites import ADDITIVE, COUNTS_AND_MONEY, RATES

pytestmark = pytest.mark.dbt  # builds the warehouse with dbt: not in `make test-fast`

T1, T2, V1, M1, D = "130506100", "130506101", "130506100001", "130506M01", "130506"


def build_landing(
    path: Path, *, contact_at: str = "2023-12-05 10:00:00", contacts_latest: str | None = None
) -> None:
    con = duckdb.connect(str(path))
    con.execute("""
        create table alerts as select * from (values
          ('A1', timestamp '2023-11-03 09:00:00', '资金预警', 1000.0, 1, 1, timestamp '2023-12-01 00:00:00'),
          ('A2', timestamp '2023-12-04 09:00:00', '资金预警', 500.0, 2, 1, timestamp '2024-01-01 00:00:00')
        ) t(alert_id, issued_at, alert_type, amount_at_risk, _file_id, _row_number, _loaded_at)""")
    con.execute(
        """create table contacts as select * from (values
          ('C1', 'A1', timestamp '2023-11-03 10:00:00', '首次劝阻', '电话', '劝阻成功', 1, 1, now()::timestamp),
          ('C2', 'A2', ?::timestamp, '首次劝阻', '上门见面', '劝阻成功', 2, 1, now()::timestamp)
        ) t(action_id, alert_id, action_at, action_kind, method, outcome, _file_id, _row_number, _loaded_at)""",
        [contact_at],
    )
    if contacts_latest is not None:  # a feed that stopped early: keep only contacts up to that time
        con.execute("delete from contacts where action_at > ?::timestamp", [contacts_latest])
    con.execute("""
        create table interceptions as select * from (values
          ('I1', timestamp '2023-12-06 10:00:00', '紧急止付', 300.0, now()::timestamp)
        ) t(interception_id, stopped_at, method, amount, _loaded_at)""")
    con.execute("""
        create table cases as select * from (values
          ('K1', timestamp '2023-12-10 10:00:00', timestamp '2023-12-09 10:00:00', 2000.0, 0.0, now()::timestamp)
        ) t(case_id, reported_at, occurred_at, loss_amount, recovered_amount, _loaded_at)""")
    con.execute(f"""
        create table activities as select * from (values
          ('W1', date '2023-12-15', '{T1}', '反诈宣传', 40, now()::timestamp)
        ) t(activity_id, activity_date, unit_code, activity_kind, participants, _loaded_at)""")
    con.execute("""
        create table ingest_log as select * from (values
          ('alerts_2023-11.csv', 'landed', 3, 1, 1, 1)
        ) t(file_name, status, rows_read, rows_landed, rows_quarantined, rows_duplicate)""")
    con.close()


def _kpi_select(extra: str) -> str:
    rates = ", ".join(f"0.5::double as {c}" for c in RATES)
    counts = ", ".join(
        f"leads_value::double as {c}" if c == "leads" else f"1.0::double as {c}" for c in COUNTS_AND_MONEY
    )
    return f"select {extra}, {rates}, {counts}"


def build_warehouse(path: Path) -> None:
    """Townships have 2 and 3 leads each month; the district 5. All other measures: townships 1 each, district 2."""
    con = duckdb.connect(str(path))
    con.execute(f"""create table dim_units as select * from (values
        ('{D}', 'district'), ('{T1}', 'township'), ('{T2}', 'township'), ('{V1}', 'village'), ('{M1}', 'member_unit')
        ) t(unit_code, unit_kind)""")
    con.execute(
        "create table dim_months as select * from (values (date '2023-11-01'), (date '2023-12-01')) t(month)"
    )
    units = f"(values ('{T1}', 'township', 2), ('{T2}', 'township', 3), ('{V1}', 'village', 2), ('{M1}', 'member_unit', 1))"
    con.execute(f"""create table kpi_unit_monthly as
        with u as (select * from {units} t(unit_code, unit_kind, leads_value)),
        g as (select u.*, m.month, '{D}' as district_code from u cross join dim_months m)
        {_kpi_select("unit_code, unit_kind, district_code, month")} from g""")
    con.execute(f"""create table kpi_district_monthly as
        with g as (select '{D}' as district_code, month, 5 as leads_value from dim_months)
        {_kpi_select("district_code, month")} from g""")
    # The district's non-lead measures are the sum of two townships' 1.0 each.
    cols = [c for c in ADDITIVE if c != "leads"]
    con.execute(f"update kpi_district_monthly set {', '.join(f'{c} = 2.0' for c in cols)}")
    con.execute("""create table fct_alerts as select * from (values
        ('A1', 1000.0, 60.0, 0.0, date '2023-11-01'), ('A2', 500.0, 0.0, 300.0, date '2023-12-01')
        ) t(alert_id, amount_at_risk, minutes_to_first_contact, intercepted_amount, month)""")
    con.execute("create table fct_interceptions as select 'I1' as interception_id, 300.0 as amount")
    con.execute(
        "create table fct_cases as select 'K1' as case_id, 2000.0 as loss_amount, 0.0 as recovered_amount, "
        "date '2023-12-01' as month"
    )
    con.execute(f"""create table case_loss_bands as select * from (values
        ('{D}', 'Y1', 'lt_10k', 1, 1.0, 2000.0, 1.0)) t(district_code, period, loss_band, cases, case_share, loss_amount, loss_share)""")
    con.execute(f"""create table victim_profile as select * from (values
        ('{D}', 'Y1', 'gender', '女', 1, 1.0, 2000.0)) t(district_code, period, dimension, category, victims, share, loss_amount)""")
    con.execute(f"""create table score_unit_monthly as select * from (values
        ('{T1}', date '2023-12-01', 'face_to_face_rate', 0.5, 10.0), ('{T2}', date '2023-12-01', 'face_to_face_rate', 1.0, 10.0)
        ) t(unit_code, month, indicator, normalised, weight)""")
    con.execute(f"""create table ranking_unit_monthly as select * from (values
        ('{T1}', date '2023-12-01', 5.0, 2, 2), ('{T2}', date '2023-12-01', 10.0, 1, 2)
        ) t(unit_code, month, total_score, rank, units_in_kind)""")
    con.close()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    build_landing(tmp_path / "landing.duckdb")
    build_warehouse(tmp_path / "warehouse.duckdb")
    return tmp_path / "warehouse.duckdb", tmp_path / "landing.duckdb"


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


def test_clean_files_pass_every_suite_and_write_data_docs(files: tuple[Path, Path], tmp_path: Path) -> None:
    warehouse, landing = files
    report = run_checks(warehouse, landing, docs_dir=tmp_path / "quality")
    assert failures(report) == set(), format_table(report, only_failures=True)
    assert report.ok and len(report.results) > 60
    assert (tmp_path / "quality" / "index.html").is_file()
    fresh = {row["feed"]: row["days_behind"] for row in report.freshness}
    # Latest month in the data is 2023-12 (period end 2024-01-01); latest records as built above.
    assert fresh == {"alerts": 28, "contacts": 27, "interceptions": 26, "cases": 22, "activities": 17}


def test_rate_above_one_is_critical_on_its_table(files: tuple[Path, Path]) -> None:
    warehouse, landing = files
    alter(
        warehouse,
        f"update kpi_unit_monthly set intercepted_share = 1.25 where unit_code = '{T2}' and month = '2023-12-01'",
    )
    report = run_checks(warehouse, landing)
    assert failures(report) == {
        ("kpi_unit_monthly", "expect_column_values_to_be_between", "intercepted_share", "critical", 1)
    }
    assert not report.ok


def test_district_total_not_equal_to_sum_of_townships(files: tuple[Path, Path]) -> None:
    warehouse, landing = files
    alter(warehouse, "update kpi_district_monthly set loss_amount = 2.02 where month = '2023-11-01'")
    report = run_checks(warehouse, landing)
    assert failures(report) == {
        ("kpi_district_monthly", "expect_column_values_to_be_between", "loss_amount_diff", "critical", 1)
    }


def test_a_unit_missing_a_month(files: tuple[Path, Path]) -> None:
    warehouse, landing = files
    alter(warehouse, f"delete from kpi_unit_monthly where unit_code = '{V1}' and month = '2023-12-01'")
    report = run_checks(warehouse, landing)
    assert failures(report) == {
        ("kpi_unit_monthly", "expect_column_values_to_be_in_set", "present", "critical", 1)
    }


@pytest.mark.parametrize(
    ("contact_at", "ok"), [("2023-12-03 10:00:00", True), ("2023-12-03 08:00:00", False)]
)
def test_contact_before_issue_beyond_export_lag(tmp_path: Path, contact_at: str, ok: bool) -> None:
    # A2 was issued 2023-12-04 09:00: 23 h earlier is within the 24 h lag, 25 h earlier is not.
    build_landing(tmp_path / "landing.duckdb", contact_at=contact_at)
    build_warehouse(tmp_path / "warehouse.duckdb")
    report = run_checks(tmp_path / "warehouse.duckdb", tmp_path / "landing.duckdb")
    expected = (
        set()
        if ok
        else {("contacts", "expect_column_values_to_be_between", "hours_before_issue", "critical", 1)}
    )
    assert failures(report) == expected


def test_stale_feed_blocks(tmp_path: Path) -> None:
    # Contacts stop after C1 (2023-11-03): 59 days before the end of December, the latest month in the data.
    build_landing(tmp_path / "landing.duckdb", contacts_latest="2023-11-10 00:00:00")
    build_warehouse(tmp_path / "warehouse.duckdb")
    report = run_checks(tmp_path / "warehouse.duckdb", tmp_path / "landing.duckdb")
    assert failures(report) == {
        ("landing feeds", "expect_column_values_to_be_between", "days_behind", "critical", 1)
    }
    assert {r["feed"]: r["days_behind"] for r in report.freshness}["contacts"] == 59


def test_missing_mart_and_warning_only_failures(files: tuple[Path, Path]) -> None:
    warehouse, landing = files
    alter(landing, "update alerts set alert_type = '资金预替' where alert_id = 'A1'")
    report = run_checks(warehouse, landing)
    assert report.ok  # a wrong enum in landing is a warning, not a gate
    assert [(r.table, r.column, r.unexpected_count) for r in report.warnings] == [("alerts", "alert_type", 1)]
    alter(warehouse, "drop table victim_profile")
    report = run_checks(warehouse, landing)
    assert failures(report) == {
        ("alerts", "expect_column_values_to_be_in_set", "alert_type", "warning", 1),
        ("victim_profile", "table_exists", None, "critical", None),
    }


def test_fanzha_check_prints_the_failure_and_exits_1(files: tuple[Path, Path], tmp_path: Path) -> None:
    from tests.fixtures.cli import run_fanzha

    warehouse, landing = files
    alter(warehouse, "update kpi_district_monthly set face_to_face_rate = -0.1 where month = '2023-12-01'")
    result = run_fanzha(
        tmp_path, "check", "--warehouse", str(warehouse), "--landing", str(landing), check=False
    )
    assert result.returncode == 1, result.stderr
    failing = [line.split() for line in result.stdout.splitlines() if "FAIL" in line]
    assert failing == [
        [
            "mart_kpi_district_monthly",
            "kpi_district_monthly",
            "expect_column_values_to_be_between(face_to_face_rate)",
            "critical",
            "FAIL",
            "1",
        ]
    ]
    assert (tmp_path / "quality" / "index.html").is_file()
