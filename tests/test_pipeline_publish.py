"""Publish mechanics: the record (with history), durability, the rename, cleaning, fingerprints, months."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from fanzha.core.paths import DataHome
from fanzha.core.read_api import Reader
from fanzha.pipeline import fingerprint, publish, stages


def record(run_id: str, hour: int = 2) -> publish.PublishRecord:
    return publish.PublishRecord(
        published_at=datetime(2024, 7, 1, hour, 0, tzinfo=UTC),
        run_id=run_id,
        code_version="0.1.0+abc",
        input_fingerprint="3:deadbeef",
        scheme_version="2023.1",
        expectations_json=json.dumps({"summary": {"expectations": 2}}),
        freshness_json=json.dumps([{"feed": "alerts", "days_behind": 3}]),
    )


def make_build(path: Path, value: int) -> None:
    """A build file as dbt leaves it: every layer in its own schema, the marts in `marts`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("create schema staging; create schema marts")
    con.execute("create table staging.stg_x as select 'raw' as note")
    con.execute("create table marts.kpi (v integer not null, label varchar)")
    con.execute("insert into marts.kpi values (?, 'x')", [value])
    con.close()


def publish_build(build: Path, target: Path, run_id: str, hour: int) -> None:
    """What `fanzha run` does after the gate: marts into a new file, the record there, fsync, rename."""
    candidate = build.with_name(publish.CANDIDATE_NAME)
    assert publish.export_marts(build, candidate) == ["kpi"]
    publish.write_publish_record(candidate, record(run_id, hour), target if target.exists() else None)
    publish.make_durable(candidate)
    publish.atomic_publish(candidate, target)


def test_publish_record_history_and_atomic_rename(tmp_path: Path) -> None:
    home = DataHome(tmp_path).ensure()
    first = home.build / "r1" / "warehouse.duckdb"
    make_build(first, 1)
    publish_build(first, home.warehouse, "r1", 2)
    assert not (first.parent / publish.CANDIDATE_NAME).exists() and home.warehouse.is_file()

    second = home.build / "r2" / "warehouse.duckdb"
    make_build(second, 2)  # built fresh: no fanzha_publish yet, history comes from the published file
    publish_build(second, home.warehouse, "r2", 3)

    with Reader(home) as reader:
        runs = reader.query("select run_id, scheme_version from fanzha_publish order by run_id")
        assert runs.to_dict("records") == [
            {"run_id": "r1", "scheme_version": "2023.1"},
            {"run_id": "r2", "scheme_version": "2023.1"},
        ]
        assert reader.query("select v from kpi")["v"].tolist() == [2]
        assert reader.fingerprint().startswith("r2:")
    assert publish.read_published(home.warehouse)["run_id"] == "r2"
    assert not home.warehouse.with_name("warehouse.duckdb.wal").exists()


def test_the_published_file_holds_the_marts_schema_only(tmp_path: Path) -> None:
    build = tmp_path / "build" / "r1" / "warehouse.duckdb"
    make_build(build, 7)
    publish_build(build, tmp_path / "warehouse.duckdb", "r1", 2)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
        ddl = con.execute("select sql from duckdb_tables() where table_name = 'kpi'").fetchone()[0]
        views = con.execute("select count(*) from duckdb_views() where not internal").fetchone()[0]
    finally:
        con.close()
    assert tables == [("marts", "fanzha_publish"), ("marts", "kpi")]  # nothing of staging
    assert "v INTEGER NOT NULL" in ddl and views == 0  # columns, types and constraints as built


def test_a_view_among_the_marts_is_not_published(tmp_path: Path) -> None:
    build = tmp_path / "build" / "r1" / "warehouse.duckdb"
    make_build(build, 1)
    con = duckdb.connect(str(build))
    con.execute("create view marts.kpi_view as select * from staging.stg_x")
    con.close()
    with pytest.raises(publish.PublishError, match=r"views \(kpi_view\)"):
        publish.export_marts(build, build.with_name(publish.CANDIDATE_NAME))


def test_history_of_a_file_published_before_the_marts_schema_is_kept(tmp_path: Path) -> None:
    """The first publish after the upgrade finds the history in main.fanzha_publish of the old file."""
    old = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(old))
    con.execute("create table fanzha_publish (published_at timestamp, run_id varchar, code_version varchar, "
                "input_fingerprint varchar, scheme_version varchar, expectations_json varchar, freshness_json varchar)")
    con.execute("insert into fanzha_publish values ('2024-06-01 02:00:00', 'old', 'v0', 'f', '2023.1', '{}', '[]')")
    con.close()
    build = tmp_path / "build" / "r1" / "warehouse.duckdb"
    make_build(build, 1)
    publish_build(build, old, "r1", 2)
    with Reader(path=old) as reader:
        assert reader.query("select run_id from fanzha_publish order by published_at")["run_id"].tolist() == [
            "old", "r1"]


def test_publish_json_copy(tmp_path: Path) -> None:
    home = DataHome(tmp_path).ensure()
    path = publish.write_publish_json(home, record("r9"))
    payload = json.loads(path.read_text())
    assert path.name == "r9.publish.json"
    assert payload["expectations"] == {"summary": {"expectations": 2}}
    assert payload["freshness"] == [{"feed": "alerts", "days_behind": 3}]
    assert payload["rebuild"] == {}  # which months the build rebuilt and why (none given here)


def test_clean_builds_keeps_manual_work_and_base(tmp_path: Path) -> None:
    home = DataHome(tmp_path).ensure()
    for name in ("manual", "work", "base", "20240101T000000Z-1", "20240102T000000Z-2"):
        (home.build / name).mkdir()
    assert publish.clean_builds(home) == ["20240101T000000Z-1", "20240102T000000Z-2"]
    assert sorted(p.name for p in home.build.iterdir()) == ["base", "manual", "work"]


def test_input_fingerprint_follows_landed_files(tmp_path: Path) -> None:
    landing = tmp_path / "landing.duckdb"
    assert fingerprint.input_fingerprint(landing) == "empty"
    con = duckdb.connect(str(landing))
    con.execute("create table ingest_log (_file_id bigint, sha256 varchar, status varchar)")
    con.execute("insert into ingest_log values (1, 'aa', 'landed'), (2, 'bb', 'rejected')")
    con.close()
    one = fingerprint.input_fingerprint(landing)
    assert one.startswith("1:")
    con = duckdb.connect(str(landing))
    con.execute("insert into ingest_log values (3, 'cc', 'skipped_duplicate_file')")
    con.close()
    assert fingerprint.input_fingerprint(landing) == one  # a duplicate file changes nothing
    con = duckdb.connect(str(landing))
    con.execute("insert into ingest_log values (4, 'dd', 'landed')")
    con.close()
    assert fingerprint.input_fingerprint(landing).startswith("2:")


def test_code_version_changes_with_any_model(tmp_path: Path) -> None:
    (tmp_path / "warehouse" / "models").mkdir(parents=True)
    model = tmp_path / "warehouse" / "models" / "m.sql"
    model.write_text("select 1")
    before = fingerprint.code_version(tmp_path)
    assert fingerprint.code_version(tmp_path) == before
    model.write_text("select 2")
    assert fingerprint.code_version(tmp_path) != before


def test_latest_complete_month() -> None:
    months = [date(2024, 5, 1), date(2024, 6, 1), date(2024, 7, 1)]
    assert stages.latest_complete_month(months, today=date(2024, 7, 15)) == date(2024, 6, 1)
    assert stages.latest_complete_month(months, today=date(2026, 1, 1)) == date(2024, 7, 1)
    assert stages.latest_complete_month([date(2024, 7, 1)], today=date(2024, 7, 2)) is None
