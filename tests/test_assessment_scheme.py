"""The shipped scheme as data: valid, judged on evidence, and a bad scheme fails the dbt build with one
clear message naming each bad row. Runs dbt on a throw-away copy of the project whose only upstreams
are a small stand-in kpi_unit_monthly and int_unit_duties_measured written by the test."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from fanzha.core.paths import WAREHOUSE_PROJECT
from tests.fixtures.dbt_project import copy_project, dbt_build, project_env, write_seed

pytestmark = pytest.mark.dbt  # builds the warehouse with dbt: not in `make test-fast`

SEEDS = WAREHOUSE_PROJECT / "seeds"
SCHEME = SEEDS / "scoring_scheme.csv"
PARAMETERS = SEEDS / "scoring_parameters.csv"
CATALOGUE = WAREHOUSE_PROJECT / "macros" / "scoring_indicators.sql"
SYSTEMS = ("金融", "通信", "教育", "卫健", "公安", "人社", "市场监管")

KPI_COLUMNS = ("unit_code", "unit_name", "unit_kind", "month", "population", "leads", "fund_leads", "cases",
               "f2f", "four_party", "three_clear", "follow_up", "training", "warning", "publicity",
               "post_warning_victims")
# 2023-11 and 2023-10 (district 130506; default scheme, evidence threshold 0.5). 2023-12: nothing at all.
# Member units (codes = district code + member unit key, so their system comes from seeds/member_units.csv):
#   M01 区公安分局: the district's fund leads all had police, 9 of 10 within 60 min (duties stand-in); 2
#       trainings, 2 publicity events → 60 % of its weight on own data, 100 points;
#   M02 区教育局 (41,800 covered): no leads; no case among 41,800 is evidence; November: 1,254 reached by
#       publicity (300 per 10,000, the target) → (18 + 28) ÷ 58 = 79.31; October: none reached → 28 ÷ 58 = 48.28;
#   M03 区卫健局: handled two fund leads imperfectly (four-party, 三清 and follow-up 50 %), 1 training, no
#       publicity reached → 72 % evidence, 37.89 of 72 → 52.62;
#   M05 区市场监管局: one fund lead handled perfectly, 2 trainings, 2 publicity events → 100;
#   M07 工商银行: no leads, 2 trainings, one stop-payment through its accounts — perfect, but only 30 % of its
#       weight rests on its own data: 本月无可考核事项;
#   M08 农业银行: no leads, no activities, no case: 12 % (its empty work log) — 本月无可考核事项.
MEMBERS = (
    ("130506M01", "区公安分局", 620, 0, 0, 0, None, None, None, None, 2, 0, 2, 0),
    ("130506M02", "区教育局", 41800, 0, 0, 0, None, None, None, None, 0, 0, 0, 0),
    ("130506M03", "区卫健局", 3350, 2, 2, 0, 1.0, 0.5, 0.5, 0.5, 1, 0, 0, 0),
    ("130506M05", "区市场监管局", 280, 1, 1, 0, 1.0, 1.0, 1.0, 1.0, 2, 0, 2, 0),
    ("130506M07", "工商银行南和支行", 180, 0, 0, 0, None, None, None, None, 1, 1, 0, 0),
    ("130506M08", "农业银行南和支行", 210, 0, 0, 0, None, None, None, None, 0, 0, 0, 0),
)
TOWNSHIPS = (  # face-to-face = four-party = … = f2f; T3 had a post-warning victim
    ("T1", "甲镇", 20000, 12, 10, 1, 1.0, 1.0, 1.0, 1.0, 3, 1, 2, 0),
    ("T2", "乙镇", 20000, 12, 10, 2, 0.8, 0.8, 0.8, 0.8, 2, 1, 1, 0),
    ("T3", "丙乡", 20000, 12, 10, 6, 0.3, 0.3, 0.3, 0.3, 1, 0, 0, 1),
)
DUTIES = (  # unit_code, month, bank_stop_payments, publicity_participants, fund_leads, police_present, within_60min
    ("130506", "2023-11-01", None, None, 10, 10, 9),
    ("130506", "2023-10-01", None, None, 10, 10, 9),
    ("130506M07", "2023-11-01", 1, None, None, None, None),
    ("130506M02", "2023-11-01", None, 1254, None, None, None),
)


def _sql(value: object) -> str:
    return "null" if value is None else (f"'{value}'" if isinstance(value, str) else repr(value))


def stand_in_kpi() -> str:
    rows = []
    for month in ("2023-11-01", "2023-10-01", "2023-12-01"):
        for kind, units in (("member_unit", MEMBERS), ("township", TOWNSHIPS)):
            for code, name, population, *rest in units:
                values = list(rest) if month != "2023-12-01" else [0, 0, 0, None, None, None, None, 0, 0, 0, 0]
                rows.append("(" + ", ".join(_sql(v) for v in (code, name, kind, month, population, *values)) + ")")
    return f"""
select unit_code, unit_name, unit_kind, '130506' as district_code, cast(month as date) as month,
       cast(population as double) as population, leads, fund_leads, cases,
       cast(f2f as double) as face_to_face_rate, cast(four_party as double) as four_party_rate,
       cast(f2f as double) as first_contact_within_60min_rate, cast(three_clear as double) as three_clear_rate,
       cast(null as double) as checklist_rate, cast(follow_up as double) as follow_up_rate,
       cast(null as double) as dissuaded_rate, cast(f2f as double) as intercepted_share,
       training as activities_training, warning as activities_warning_education, publicity as activities_publicity,
       training + warning + publicity as activities_total,
       cast((training + warning + publicity) * 10000.0 / population as double) as activities_per_10k,
       cast(cases * 10000.0 / population as double) as cases_per_10k,
       cast(cases * 20000.0 * 10000.0 / population as double) as loss_per_10k,
       cast(cases * 20000.0 as double) as loss_amount, post_warning_victims, 0 as repeat_victims
from (values {', '.join(rows)}) as t({', '.join(KPI_COLUMNS)})
"""


def stand_in_duties() -> str:
    rows = ", ".join("(" + ", ".join(_sql(v) for v in row) + ")" for row in DUTIES)
    return f"""
select unit_code, cast(month as date) as month, cast(bank_stop_payments as bigint) as bank_stop_payments,
       cast(null as double) as bank_stop_amount, cast(null as bigint) as subscriber_refusals,
       cast(null as bigint) as subscriber_refusals_cut_off,
       cast(publicity_participants as bigint) as publicity_participants, cast(fund_leads as bigint) as fund_leads,
       cast(police_present as bigint) as fund_leads_police_present,
       cast(within_60min as bigint) as fund_leads_within_60min
from (values {rows}) as t(unit_code, month, bank_stop_payments, publicity_participants, fund_leads,
                          police_present, within_60min)
"""


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def applies(row: dict[str, str], system: str) -> bool:
    return not row["systems"] or system in row["systems"].split("、")


def test_default_scheme_weights_each_unit_100_of_which_60_process() -> None:
    rows = read_csv(SCHEME)
    townships = [r for r in rows if r["unit_kind"] == "township"]
    assert all(not r["systems"] for r in townships)
    groups = [townships] + [[r for r in rows if r["unit_kind"] == "member_unit" and applies(r, s)] for s in SYSTEMS]
    for mine in groups:
        assert sum(float(r["weight"]) for r in mine) == 100
        assert sum(float(r["weight"]) for r in mine if r["indicator_group"] == "过程") == 60
    assert {r["normalisation"] for r in townships} == {"target", "minmax", "district_relative"}
    assert len({r["scheme_version"] for r in rows} | {r["scheme_version"] for r in read_csv(PARAMETERS)}) == 1
    catalogue = CATALOGUE.read_text(encoding="utf-8")
    assert all(f"'{r['indicator']}': {{" in catalogue for r in rows)


def _project(tmp: Path, scheme_rows: list[dict[str, str]],
             parameter_rows: list[dict[str, str]] | None = None) -> dict[str, str]:
    project = copy_project(tmp)
    shutil.copytree(WAREHOUSE_PROJECT / "models" / "marts" / "assessment", project / "models" / "assessment")
    shutil.copytree(WAREHOUSE_PROJECT / "tests" / "generic", project / "tests" / "generic")  # the shared generic tests
    (project / "models" / "kpi_unit_monthly.sql").write_text(stand_in_kpi(), encoding="utf-8")
    (project / "models" / "int_unit_duties_measured.sql").write_text(stand_in_duties(), encoding="utf-8")
    # the incremental build's month list: empty, since a first build of these models is a full one
    (project / "models" / "int_months_invalidated.sql").write_text(
        "{{ config(materialized='table') }} "
        "select cast(null as date) as month, cast(null as varchar) as reasons where false", encoding="utf-8")
    for name, rows in (("scoring_scheme.csv", scheme_rows), ("scoring_parameters.csv", parameter_rows)):
        if rows is not None:
            write_seed(project, name, rows)
    return project_env(tmp)


def _dbt_build(tmp: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return dbt_build(tmp, env, "--select", "scoring_scheme+", "scoring_parameters", "member_units",
                     "kpi_unit_monthly", "int_unit_duties_measured", "--exclude", "resource_type:unit_test",
                     "--indirect-selection", "cautious")


@pytest.fixture(scope="module")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    tmp = tmp_path_factory.mktemp("scheme")
    result = _dbt_build(tmp, _project(tmp, read_csv(SCHEME)))
    assert result.returncode == 0, result.stdout[-3000:]
    con = duckdb.connect(str(tmp / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def _assessments(con: duckdb.DuckDBPyConnection, month: str) -> dict[str, tuple]:
    rows = con.execute(
        "select a.unit_name, a.total_score, round(a.evidence_share, 2), a.is_assessed, r.rank, r.is_commended, "
        "r.is_criticised from assessment_unit_monthly as a left join ranking_unit_monthly as r "
        "using (unit_code, month) where a.month = ? and a.unit_kind = 'member_unit'", [month]).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_default_scheme_ranks_only_units_with_evidence(default_build) -> None:
    months = {str(r[0]) for r in default_build.execute("select distinct month from ranking_unit_monthly").fetchall()}
    assert months == {"2023-10-01", "2023-11-01"}  # December had no data: not ranked on zeros
    november = _assessments(default_build, "2023-11-01")
    # (total, evidence share, assessed, rank, commended, criticised); four ranked → two places each way
    assert november["区公安分局"] == (100.0, 0.6, True, 1, True, False)
    assert november["区市场监管局"] == (100.0, 0.72, True, 1, True, False)
    assert november["区教育局"] == (79.31, 0.58, True, 3, False, True)
    assert november["区卫健局"] == (52.62, 0.72, True, 4, False, True)
    # perfect on the little it did, but too little of its weight rests on its own data
    assert november["工商银行南和支行"] == (100.0, 0.3, False, None, None, None)
    # no leads, no activities, no case: not ranked, so never commended
    assert november["农业银行南和支行"] == (0.0, 0.12, False, None, None, None)
    townships = default_build.execute(
        "select unit_code, rank, units_in_kind from ranking_unit_monthly where unit_kind = 'township' "
        "and month = '2023-11-01' order by rank").fetchall()
    assert townships == [("T1", 1, 3), ("T2", 2, 3), ("T3", 3, 3)]


def test_a_unit_that_handled_leads_imperfectly_is_outranked_only_by_a_better_evidence_backed_score(
        default_build) -> None:
    # November: education reached its publicity target — its evidence-backed 79.31 beats 卫健's 52.62.
    # October: education reached nobody (48.28): 卫健, with the same imperfect handling, now ranks above it.
    november, october = _assessments(default_build, "2023-11-01"), _assessments(default_build, "2023-10-01")
    assert november["区教育局"][3] < november["区卫健局"][3]
    assert october["区教育局"][:2] == (48.28, 0.58)
    assert october["区卫健局"][3] < october["区教育局"][3]


def test_every_ranked_unit_has_an_interval_and_the_unranked_none(default_build) -> None:
    rows = default_build.execute(
        "select a.is_assessed, s.rank_p05, s.rank_p95, r.units_in_kind from assessment_unit_monthly as a "
        "join rank_simulation_unit_monthly as s using (unit_code, month) "
        "left join ranking_unit_monthly as r using (unit_code, month)").fetchall()
    assert all(1 <= p05 <= p95 <= n for assessed, p05, p95, n in rows if assessed)
    assert all(p05 is None and p95 is None for assessed, p05, p95, _ in rows if not assessed)


def test_bad_scheme_fails_the_build_naming_every_problem(tmp_path: Path) -> None:
    rows = read_csv(SCHEME)
    rows[0]["weight"] = str(float(rows[0]["weight"]) + 5)  # township weights now sum to 105
    rows[1]["indicator"] = "four_party_ratio"
    rows[2]["direction"] = "bigger_is_better"
    rows[3]["normalisation"] = "zscore"
    rows[4]["target"] = ""  # follow_up_rate is normalised against a target
    rows[5]["systems"] = "金融"  # a township row
    member_four_party = next(r for r in rows if r["unit_kind"] == "member_unit")
    member_four_party["weight"] = "0"
    bank = next(r for r in rows if r["indicator"] == "bank_stop_payments")
    bank["systems"] = "金融、银行"
    parameters = read_csv(PARAMETERS)
    parameters[0]["value"] = "1.5"
    result = _dbt_build(tmp_path, _project(tmp_path, rows, parameters))
    assert result.returncode != 0
    out = result.stdout
    assert "scoring_scheme.csv: " in out
    assert "row (township, four_party_ratio): unknown indicator 'four_party_ratio'" in out
    assert "row (township, first_contact_within_60min_rate): unknown direction 'bigger_is_better'" in out
    assert "row (township, three_clear_rate): unknown normalisation 'zscore'" in out
    assert "row (township, follow_up_rate): normalisation 'target' needs a target" in out
    assert ("row (township, activities_per_10k): systems '金融' given, but only member_unit rows apply to "
            "systems (leave it empty)") in out
    assert "weights of unit_kind 'township' sum to 97.0, must be 100" in out  # +5, and activities' 8 unplaced
    assert "row (member_unit, four_party_rate): weight must be a positive number, got '0.0'" in out
    assert ("row (member_unit, bank_stop_payments): unknown system '银行' in systems '金融、银行' (allowed: "
            "人社, 公安, 卫健, 市场监管, 教育, 通信, 金融; separate several with 、)") in out
    assert "weights of unit_kind 'member_unit' for system '通信' sum to 90.0, must be 100" in out
    assert "weights of unit_kind 'member_unit' for system '公安' sum to" not in out  # four-party is not 公安's
    assert "scoring_parameters.csv: parameter 'evidence_threshold' is 1.5, must be above 0 and at most 1" in out
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    con.close()
    assert "score_unit_monthly" not in tables and "ranking_unit_monthly" not in tables
