"""Equality is the contract: an incremental build equals a build from scratch on the same inputs, row for row.

The tiny landing of tests/fixtures/landing.py is built once from scratch; then each scenario of
tests/fixtures/late_data.py lands (a late contact, a corrected old lead, a case reported three months late, a new
month after an empty one, money stopped before its lead landed, then that lead) and the warehouse is built twice: incrementally, continuing the previous incremental
build as the monthly run does, and from scratch into another file. Every table is compared both ways with
EXCEPT ALL — only the build's own bookkeeping (which files it took in, which months it rebuilt) is left out. The
months the incremental build rebuilt are checked against the ones worked out by hand, and a few KPI values
against the story.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from fanzha.build import build_warehouse
from fanzha.core.paths import DataHome
from fanzha.core.sql import literal
from tests.fixtures.landing import HEYANG, JIASONG, create_landing
from tests.fixtures.late_data import SCENARIOS, Scenario, land

pytestmark = pytest.mark.dbt  # builds the warehouse with dbt: not in `make test-fast`

# The build's bookkeeping: the dbt invocation that took each file in, the records and months of this build.
BOOKKEEPING = {"int_files_recorded", "int_records_changed", "int_months_invalidated", "fanzha_build_state"}


@dataclass(frozen=True)
class Step:
    scenario: Scenario
    incremental: Path  # a copy of the incremental build after this scenario
    full: Path  # the build from scratch on the same landing


def _build(home: DataHome, out: Path, *, full_refresh: bool) -> None:
    result = build_warehouse(
        home, out, full_refresh=full_refresh, quiet=True, unit_tests=False, data_tests=False, work_dir=out.parent
    )
    assert result.ok, result.failures


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Step]:
    home = DataHome(tmp_path_factory.mktemp("equality_home"))
    create_landing(home.landing)
    incremental = home.build / "work" / "warehouse.duckdb"  # one path, as the monthly run: dbt parses once
    full = home.build / "full" / "warehouse.duckdb"
    _build(home, incremental, full_refresh=True)
    shutil.copyfile(incremental, home.root / "base.duckdb")
    done: dict[str, Step] = {"base": Step(Scenario("base", [], {}, {}), home.root / "base.duckdb", home.root / "base.duckdb")}
    for scenario in SCENARIOS:
        land(home.landing, scenario)
        _build(home, incremental, full_refresh=False)
        full.unlink(missing_ok=True)
        _build(home, full, full_refresh=True)
        kept = home.root / scenario.name
        kept.mkdir()
        shutil.copyfile(incremental, kept / "incremental.duckdb")
        shutil.copyfile(full, kept / "full.duckdb")
        done[scenario.name] = Step(scenario, kept / "incremental.duckdb", kept / "full.duckdb")
    return done


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def tables_differing(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """{table: (rows only in left, rows only in right)} for every table that differs, by EXCEPT ALL both ways;
    a table missing on one side counts as differing."""
    con = duckdb.connect()
    try:
        con.execute(f"attach {literal(str(left))} as l (read_only)")
        con.execute(f"attach {literal(str(right))} as r (read_only)")
        names = {
            db: {(s, t) for s, t in con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = ?", [db]).fetchall()
                if t not in BOOKKEEPING}
            for db in ("l", "r")
        }
        differing = {f"{s}.{t}": (-1, -1) for s, t in names["l"] ^ names["r"]}
        for schema, table in sorted(names["l"] & names["r"]):
            name = f'"{schema}"."{table}"'
            left_only = con.execute(f"select count(*) from (from l.{name} except all from r.{name})").fetchone()[0]
            right_only = con.execute(f"select count(*) from (from r.{name} except all from l.{name})").fetchone()[0]
            if left_only or right_only:
                differing[f"{schema}.{table}"] = (left_only, right_only)
        return differing
    finally:
        con.close()


def rebuilt_months(path: Path) -> dict[str, set[str]]:
    rows = query(path, "select month, reasons from intermediate.int_months_invalidated order by month")
    return {f"{month:%Y-%m}": {r.strip() for r in reasons.split(",")} for month, reasons in rows}


def kpi(path: Path, unit: str, month: date, *columns: str) -> tuple:
    rows = query(path, f"select {', '.join(columns)} from marts.kpi_unit_monthly where unit_code = ? and month = ?",
                 [unit, month])
    assert len(rows) == 1, rows
    return rows[0]


NAMES = [s.name for s in SCENARIOS]


@pytest.mark.parametrize("name", NAMES)
def test_incremental_build_equals_a_build_from_scratch(steps, name: str) -> None:
    step = steps[name]
    assert tables_differing(step.incremental, step.full) == {}
    # not a vacuous comparison: the marts are there and hold this scenario's months
    assert query(step.incremental, "select count(*) from marts.kpi_unit_monthly")[0][0] > 100


@pytest.mark.parametrize("name", NAMES)
def test_incremental_build_rebuilds_the_months_worked_out_by_hand(steps, name: str) -> None:
    step = steps[name]
    assert rebuilt_months(step.incremental) == step.scenario.months


def test_the_first_build_rebuilds_every_month(steps) -> None:
    months = rebuilt_months(steps["base"].incremental)
    assert sorted(months) == [f"{y}-{m:02d}" for y, m in [(2022, 11), (2022, 12)] + [(2023, m) for m in range(1, 13)]]
    assert all("every_month:first_build" in reasons for reasons in months.values())


def test_a_late_contact_reaches_its_lead_month(steps) -> None:
    # A3's late home visit (回访): November's fund leads face to face A1 A2 A3 (was A1 A2), followed up A1 A3.
    before, after = steps["base"].incremental, steps["late_contact"].incremental
    nov = date(2023, 11, 1)
    assert kpi(before, JIASONG, nov, "fund_leads_face_to_face", "fund_leads_follow_up") == (2, 1)
    assert kpi(after, JIASONG, nov, "fund_leads_face_to_face", "fund_leads_follow_up") == (3, 2)


def test_a_corrected_old_lead_leaves_its_old_month_and_place(steps) -> None:
    path = steps["corrected_old_lead"].incremental
    assert kpi(path, JIASONG, date(2023, 11, 1), "fund_leads") == (2,)  # A1, A3: A2 left
    assert kpi(path, HEYANG, date(2023, 10, 1), "fund_leads") == (1,)  # A2, corrected
    assert query(path, "select is_post_warning, days_since_prior_alert from marts.fct_cases where case_id = 'K1'") == [
        (True, 18)  # 28 October → 15 November
    ]


def test_a_case_reported_three_months_late_makes_a_warned_person_a_victim_after_warning(steps) -> None:
    path = steps["case_reported_three_months_late"].incremental
    assert kpi(path, JIASONG, date(2023, 12, 1), "cases", "post_warning_victims") == (1, 1)  # K5, 19 days after A4
    assert query(path, "select prior_alert_id, days_since_prior_alert from marts.fct_cases where case_id = 'K5'") == [
        ("A4", 19)
    ]
    # the same export's January 2023 case of K3's person becomes K4's (November) prior case
    assert query(path, "select prior_case_id from marts.fct_cases where case_id = 'K4'") == [("K6",)]
    assert kpi(path, JIASONG, date(2023, 1, 1), "repeat_victims") == (1,)


def test_a_new_month_after_an_empty_one(steps) -> None:
    path = steps["new_month"].incremental
    assert kpi(path, JIASONG, date(2024, 1, 1), "leads", "cases") == (0, 0)
    assert kpi(path, JIASONG, date(2024, 2, 1), "fund_leads", "cases", "post_warning_victims") == (1, 1, 1)
    assert query(path, "select max(month) from marts.dim_months") == [(date(2024, 2, 1),)]


def test_money_stopped_before_its_lead_waits_then_reaches_the_lead_s_township(steps) -> None:
    waiting, attributed = steps["interception_before_its_lead"].incremental, steps["its_lead_arrives"].incremental
    feb = date(2024, 2, 1)
    sql = "select district_code, township_code, attributed_via from marts.fct_interceptions where interception_id = 'I3'"
    assert query(waiting, sql) == [(None, None, None)]
    assert kpi(waiting, JIASONG, feb, "fund_leads", "intercepted_amount") == (1, 0)  # A5 only; I3 waits
    assert query(attributed, sql) == [("130506", JIASONG, "lead")]
    assert kpi(attributed, JIASONG, feb, "fund_leads", "intercepted_amount") == (2, 7000)  # A5, A6; I3's 7,000 元
