"""The handling rules as data: the shipped defaults are the documented ones, they build, and bad rules fail
the dbt build with one message naming every bad row. Runs dbt on a throw-away copy of the project whose only
upstreams are two small stand-in models written by the test (never part of the real project)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from fanzha.core.paths import WAREHOUSE_PROJECT
from tests.fixtures.dbt_project import copy_project, dbt_build, project_env, write_seed

pytestmark = pytest.mark.dbt  # runs dbt: not in `make test-fast`

RULES = WAREHOUSE_PROJECT / "seeds" / "handling_rules.csv"
DOCS = WAREHOUSE_PROJECT.parent / "docs" / "watch.md"

# One fund lead issued 2023-11-01 09:00: first contact by phone at 10:01 (61 minutes: late), refused;
# escalated at 2023-11-02 09:00; face to face with all four parties and 三清 at 2023-11-03 08:00; no 回访.
STAND_IN_LEADS = """
select 'L1' as alert_id, cast('2023-11-01 09:00:00' as timestamp) as issued_at, '资金预警' as alert_type
union all
select 'OLD', cast('2023-02-01 09:00:00' as timestamp), '资金预警'
"""
STAND_IN_CONTACTS = """
select * from (values
  ('c1', 'L1', cast('2023-11-01 10:01:00' as timestamp), '首次劝阻', false, true, false, false, false, false, '拒不配合'),
  ('c2', 'L1', cast('2023-11-02 09:00:00' as timestamp), '提级劝阻', false, true, true, false, false, false, '拒不配合'),
  ('c3', 'L1', cast('2023-11-03 08:00:00' as timestamp), '提级劝阻', true, true, true, true, true, true, '劝阻成功')
) as t(action_id, alert_id, action_at, action_kind, is_face_to_face, police_present, leader_present,
       grid_worker_present, relative_present, is_three_clear, outcome)
"""


def read_rules() -> list[dict[str, str]]:
    with RULES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_default_rules_are_the_documented_ones() -> None:
    rules = {r["step"]: (r["within_value"], r["within_unit"], r["clock_starts"]) for r in read_rules()}
    assert rules == {
        "first_contact": ("60", "minute", "issued"),
        "face_to_face": ("24", "hour", "issued"),
        "four_party": ("3", "day", "issued"),
        "three_clear": ("3", "day", "issued"),
        "follow_up": ("7", "day", "issued"),
        "escalation": ("24", "hour", "refused_or_unreachable"),
    }
    docs = DOCS.read_text(encoding="utf-8")
    for row in read_rules():
        assert f"`{row['step']}`" in docs, f"docs/watch.md does not document step {row['step']}"


def _project(tmp: Path, rules: list[dict[str, str]]) -> dict[str, str]:
    project = copy_project(tmp)
    models = project / "models"
    models.mkdir()
    shutil.copy(WAREHOUSE_PROJECT / "models" / "intermediate" / "int_lead_steps_scheduled.sql", models)
    (models / "int_alerts_lifecycle_joined.sql").write_text(STAND_IN_LEADS, encoding="utf-8")
    (models / "int_contacts_classified.sql").write_text(STAND_IN_CONTACTS, encoding="utf-8")
    write_seed(project, "handling_rules.csv", rules)
    return project_env(tmp)


def _dbt_build(tmp: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return dbt_build(tmp, env, "--select", "handling_rules+", "int_alerts_lifecycle_joined", "int_contacts_classified")


def test_default_rules_build_the_hand_computed_schedule(tmp_path: Path) -> None:
    result = _dbt_build(tmp_path, _project(tmp_path, read_rules()))
    assert result.returncode == 0, result.stdout[-3000:]
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    rows = con.execute(
        "select step, cast(deadline_at as varchar), cast(done_at as varchar), is_done_late "
        "from int_lead_steps_scheduled order by step_order").fetchall()
    con.close()
    assert rows == [  # the lead issued before 2023-03-01 owes nothing
        ("first_contact", "2023-11-01 10:00:00", "2023-11-01 10:01:00", True),
        ("face_to_face", "2023-11-02 09:00:00", "2023-11-03 08:00:00", True),
        ("four_party", "2023-11-04 09:00:00", "2023-11-03 08:00:00", False),
        ("three_clear", "2023-11-04 09:00:00", "2023-11-03 08:00:00", False),
        ("follow_up", "2023-11-08 09:00:00", None, False),
        ("escalation", "2023-11-02 10:01:00", "2023-11-02 09:00:00", False),
    ]


def test_bad_rules_fail_the_build_naming_every_problem(tmp_path: Path) -> None:
    rules = read_rules()
    rules[0]["within_value"] = "90"
    rules[1]["within_value"] = "1.5"
    rules[1]["within_unit"] = "week"
    rules[2]["step"] = "four_parties"
    rules[3]["clock_starts"] = "contacted"
    rules[4]["effective_from"] = "2023-02-30"
    rules[5]["step_order"] = "1"
    rules[5]["applies_to"] = "资金预警"
    result = _dbt_build(tmp_path, _project(tmp_path, rules))
    assert result.returncode != 0
    out = result.stdout
    assert "handling_rules.csv: " in out
    assert ("row (first_contact): 90 minute disagrees with var first_contact_deadline_minutes = 60 (dbt_project.yml: "
            "the assessment's first-contact deadline); change both together") in out
    assert "row (face_to_face): within_value must be a positive whole number, got '1.5'" in out
    assert "row (face_to_face): unknown within_unit 'week' (allowed: minute, hour, day)" in out
    assert "row (four_parties): unknown step 'four_parties'" in out
    assert "row (three_clear): unknown clock_starts 'contacted' (allowed: issued, refused_or_unreachable)" in out
    assert "row (follow_up): effective_from must be a date YYYY-MM-DD or empty, got '2023-02-30'" in out
    assert "row (escalation): step_order 1 is used by another step" in out
    assert "row (escalation): unknown applies_to '资金预警' (allowed: fund_leads, all_leads)" in out
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    con.close()
    assert "int_lead_steps_scheduled" not in tables
