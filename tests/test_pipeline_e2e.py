"""`fanzha run` on the Nanhe demo: the session's demo_home ran it once; a second run with nothing new is a no-op."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from fanzha.core.paths import REPO_ROOT, DataHome
from fanzha.core.read_api import Reader
from tests.fixtures.cli import run_fanzha

STAGES = ["ingest", "build", "check", "publish", "notices", "clean", "alerts"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_end(log: Path) -> dict:
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return next(e for e in events if e["event"] == "run_end")


@pytest.mark.e2e
def test_demo_run_published_with_record_log_and_notice(demo_home: Path) -> None:
    home = DataHome(demo_home)
    with Reader(home) as reader:
        record = reader.publish_record()
        latest = reader.query("select max(month) as m from kpi_district_monthly")["m"].iloc[0]
    assert record is not None, "the demo run did not write a fanzha_publish record"
    assert f"{latest:%Y-%m}" == "2024-06"  # the scenario ends in June 2024
    expectations = json.loads(record["expectations_json"])
    assert expectations["summary"]["critical_failures"] == 0
    freshness = {row["feed"]: row for row in json.loads(record["freshness_json"])}
    assert set(freshness) == {"alerts", "contacts", "interceptions", "cases", "activities"}
    assert all(row["days_behind"] <= 45 for row in freshness.values())

    run_id = record["run_id"]
    end = run_end(home.logs / f"{run_id}.jsonl")
    assert (end["outcome"], end["exit_code"]) == ("published", 0)
    assert list(end["stages"]) == STAGES
    assert json.loads((home.logs / f"{run_id}.publish.json").read_text())["run_id"] == run_id
    # The exports moved to the archive; no run's build folder is left behind, only the work folder (dbt's
    # saved parse) and the base the next run continues; the latest month's notice was issued.
    assert not any(p.suffix in {".csv", ".xlsx"} for p in home.inbox.rglob("*"))
    assert sorted(p.name for p in home.build.iterdir() if p.name != "manual") == ["base", "work"]
    assert (home.build / "base" / "warehouse.duckdb").is_file()
    assert (home.build / "work" / "dbt_target" / "partial_parse.msgpack").is_file()
    assert not (home.build / "work" / "warehouse.duckdb").exists()  # promoted to base
    assert (home.notices / "2024-06").is_dir()


@pytest.mark.e2e
def test_the_published_file_holds_the_marts_schema_and_nothing_else(demo_home: Path) -> None:
    marts = {p.stem for p in (REPO_ROOT / "warehouse" / "models" / "marts").rglob("*") if p.suffix in {".sql", ".py"}}
    con = duckdb.connect(str(DataHome(demo_home).warehouse), read_only=True)
    try:
        schemas = {r[0] for r in con.execute("select schema_name from duckdb_tables()").fetchall()}
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        views = con.execute("select count(*) from duckdb_views() where not internal").fetchone()[0]
    finally:
        con.close()
    assert schemas == {"marts"}  # no staging, intermediate or seed (reference) tables beside the marts
    assert tables == marts | {"fanzha_publish"} and views == 0


@pytest.mark.e2e
def test_second_run_with_the_same_exports_is_a_noop(demo_home: Path, tmp_path: Path) -> None:
    home = DataHome(tmp_path / "home")
    shutil.copytree(demo_home, home.root)
    for f in home.archive.rglob("*"):  # offer every export again: all are already landed
        if f.is_file():
            shutil.copy2(f, home.inbox / f.name)
    before = sha256(home.warehouse)

    result = run_fanzha(home.root, "run")

    assert "nothing new: the published warehouse" in result.stdout
    assert "[build]" not in result.stdout
    assert sha256(home.warehouse) == before
    logs = sorted(home.logs.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
    assert run_end(logs[-1])["outcome"] == "nothing new (no-op)"


@pytest.mark.e2e
def test_demo_on_a_home_that_already_ran_skips_generate_and_is_a_noop(
    demo_home: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    before = sha256(home / "warehouse.duckdb")

    result = run_fanzha(home, "demo", "--no-dashboard")

    assert "skipping generate" in result.stdout
    assert "nothing new: the published warehouse" in result.stdout
    assert sha256(home / "warehouse.duckdb") == before
