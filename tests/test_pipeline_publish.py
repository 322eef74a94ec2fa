"""Publish mechanics: the record (with history), durability, the rename, cleaning, fingerprints, months."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

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
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("create table kpi as select ? as v", [value])
    con.close()


def test_publish_record_history_and_atomic_rename(tmp_path: Path) -> None:
    home = DataHome(tmp_path).ensure()
    first = home.build / "r1" / "warehouse.duckdb"
    make_build(first, 1)
    publish.write_publish_record(first, record("r1"), None)
    publish.make_durable(first)
    publish.atomic_publish(first, home.warehouse)
    assert not first.exists() and home.warehouse.is_file()

    second = home.build / "r2" / "warehouse.duckdb"
    make_build(second, 2)  # built fresh: no fanzha_publish yet, history comes from the published file
    publish.write_publish_record(second, record("r2", hour=3), home.warehouse)
    publish.make_durable(second)
    publish.atomic_publish(second, home.warehouse)

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


def test_publish_json_copy(tmp_path: Path) -> None:
    home = DataHome(tmp_path).ensure()
    path = publish.write_publish_json(home, record("r9"))
    payload = json.loads(path.read_text())
    assert path.name == "r9.publish.json"
    assert payload["expectations"] == {"summary": {"expectations": 2}}
    assert payload["freshness"] == [{"feed": "alerts", "days_behind": 3}]


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


def test_inbox_files_skip_manifest_and_hidden(tmp_path: Path) -> None:
    for name in ("manifest.json", ".partial.csv", "alerts_2023-11.csv", "sub/预警线索_2023-12.xlsx"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in stages.inbox_files(tmp_path)] == [
        "alerts_2023-11.csv",
        "sub/预警线索_2023-12.xlsx",
    ]
