"""The scheme as data: the shipped default is valid, and a bad scheme fails the dbt build with one
clear message naming each bad row. Runs dbt on a throw-away copy of the project whose only upstream
is a small stand-in kpi_unit_monthly written by the test (never part of the real project)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from fanzha.core.paths import WAREHOUSE_PROJECT

pytestmark = pytest.mark.dbt  # builds the warehouse with dbt: not in `make test-fast`

SCHEME = WAREHOUSE_PROJECT / "seeds" / "scoring_scheme.csv"
KNOWN = WAREHOUSE_PROJECT / "macros" / "scoring_indicators.sql"

# Three townships and two member units in 2023-11; 2023-12 has no leads, cases or activities at all.
STAND_IN_KPI = """
select unit_code, unit_name, unit_kind, '130506' as district_code, cast(month as date) as month,
       cast(population as double) as population, leads, fund_leads, cases, activities_total,
       cast(f2f as double) as face_to_face_rate, cast(f2f as double) as four_party_rate,
       cast(f2f as double) as first_contact_within_60min_rate, cast(f2f as double) as three_clear_rate,
       cast(null as double) as checklist_rate, cast(f2f as double) as follow_up_rate,
       cast(null as double) as dissuaded_rate, cast(f2f as double) as intercepted_share,
       cast(activities_total * 10000.0 / population as double) as activities_per_10k,
       cast(cases * 10000.0 / population as double) as cases_per_10k,
       cast(cases * 20000.0 * 10000.0 / population as double) as loss_per_10k,
       cast(cases * 20000.0 as double) as loss_amount,
       post_warning_victims, 0 as repeat_victims
from (values
    ('T1', '甲镇', 'township', '2023-11-01', 20000, 12, 10, 1, 6, 1.0, 0),
    ('T2', '乙镇', 'township', '2023-11-01', 20000, 12, 10, 2, 4, 0.8, 0),
    ('T3', '丙乡', 'township', '2023-11-01', 20000, 12, 10, 6, 1, 0.3, 1),
    ('M1', '甲局', 'member_unit', '2023-11-01', 3000, 2, 2, 0, 2, 1.0, 0),
    ('M2', '乙局', 'member_unit', '2023-11-01', 3000, 0, 0, 1, 0, null, 0),
    ('T1', '甲镇', 'township', '2023-12-01', 20000, 0, 0, 0, 0, null, 0),
    ('T2', '乙镇', 'township', '2023-12-01', 20000, 0, 0, 0, 0, null, 0),
    ('T3', '丙乡', 'township', '2023-12-01', 20000, 0, 0, 0, 0, null, 0),
    ('M1', '甲局', 'member_unit', '2023-12-01', 3000, 0, 0, 0, 0, null, 0),
    ('M2', '乙局', 'member_unit', '2023-12-01', 3000, 0, 0, 0, 0, null, 0)
) as t(unit_code, unit_name, unit_kind, month, population, leads, fund_leads, cases, activities_total, f2f,
       post_warning_victims)
"""


def read_scheme() -> list[dict[str, str]]:
    with SCHEME.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_default_scheme_is_60_process_40_results_per_kind() -> None:
    rows = read_scheme()
    for kind in ("township", "member_unit"):
        mine = [r for r in rows if r["unit_kind"] == kind]
        assert sum(float(r["weight"]) for r in mine) == 100
        assert sum(float(r["weight"]) for r in mine if r["indicator_group"] == "过程") == 60
        assert sum(float(r["weight"]) for r in mine if r["indicator_group"] == "结果") == 40
    township = {r["normalisation"] for r in rows if r["unit_kind"] == "township"}
    assert township == {"target", "minmax", "district_relative"}
    assert len({r["scheme_version"] for r in rows}) == 1
    known = KNOWN.read_text(encoding="utf-8")
    assert all(f"'{r['indicator']}'" in known for r in rows)


def _project(tmp: Path, scheme_rows: list[dict[str, str]]) -> dict[str, str]:
    project = tmp / "warehouse"
    shutil.copytree(WAREHOUSE_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs", "models", "tests", ".user.yml"))
    shutil.copytree(WAREHOUSE_PROJECT / "models" / "marts" / "assessment", project / "models" / "assessment")
    (project / "models" / "kpi_unit_monthly.sql").write_text(STAND_IN_KPI, encoding="utf-8")
    with (project / "seeds" / "scoring_scheme.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(scheme_rows[0]))
        writer.writeheader()
        writer.writerows(scheme_rows)
    duckdb.connect(str(tmp / "landing.duckdb")).close()
    return {**os.environ, "FANZHA_WAREHOUSE_PATH": str(tmp / "warehouse.duckdb"),
            "FANZHA_LANDING_PATH": str(tmp / "landing.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def _dbt_build(tmp: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    dbt = Path(sys.executable).parent / "dbt"
    project = tmp / "warehouse"
    return subprocess.run(
        [str(dbt), "build", "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"),
         "--select", "scoring_scheme+", "kpi_unit_monthly"],
        env=env, capture_output=True, text=True, timeout=300)


def test_default_scheme_builds_ranks_and_skips_the_empty_month(tmp_path: Path) -> None:
    env = _project(tmp_path, read_scheme())
    result = _dbt_build(tmp_path, env)
    assert result.returncode == 0, result.stdout[-3000:]
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    ranking = con.execute("select unit_code, month, rank, units_in_kind, rank_p05, rank_p95, scheme_version "
                          "from ranking_unit_monthly order by unit_kind, rank, unit_code").fetchall()
    con.close()
    assert {str(r[1]) for r in ranking} == {"2023-11-01"}  # December had no data: not ranked on zeros
    assert [(r[0], r[2], r[3]) for r in ranking] == [
        ("M1", 1, 2), ("M2", 2, 2), ("T1", 1, 3), ("T2", 2, 3), ("T3", 3, 3)]
    assert all(1 <= r[4] <= r[5] <= r[3] for r in ranking)
    assert {r[6] for r in ranking} == {read_scheme()[0]["scheme_version"]}


def test_bad_scheme_fails_the_build_naming_every_problem(tmp_path: Path) -> None:
    rows = read_scheme()
    rows[0]["weight"] = str(float(rows[0]["weight"]) + 5)  # township weights now sum to 105
    rows[1]["indicator"] = "four_party_ratio"
    rows[2]["direction"] = "bigger_is_better"
    rows[3]["normalisation"] = "zscore"
    rows[4]["target"] = ""  # follow_up_rate is normalised against a target
    member_f2f = next(r for r in rows if r["unit_kind"] == "member_unit")
    member_f2f["weight"] = "0"
    result = _dbt_build(tmp_path, _project(tmp_path, rows))
    assert result.returncode != 0
    out = result.stdout
    assert "scoring_scheme.csv: " in out
    assert "row (township, four_party_ratio): unknown indicator 'four_party_ratio'" in out
    assert "row (township, first_contact_within_60min_rate): unknown direction 'bigger_is_better'" in out
    assert "row (township, three_clear_rate): unknown normalisation 'zscore'" in out
    assert "row (township, follow_up_rate): normalisation 'target' needs a target" in out
    assert "weights of unit_kind 'township' sum to 105.0, must be 100" in out
    assert "row (member_unit, face_to_face_rate): weight must be a positive number, got '0.0'" in out
    assert f"weights of unit_kind 'member_unit' sum to {100 - float(rows[0]['weight']) + 5}, must be 100" in out
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    con.close()
    assert "score_unit_monthly" not in tables and "ranking_unit_monthly" not in tables
