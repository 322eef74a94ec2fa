"""The read API: read-only attach of the published warehouse, re-attach on publish, never blocking writers."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from fanzha.core.paths import DataHome
from fanzha.core.read_api import Reader, WarehouseUnavailable


def write_version(path: Path, run_id: str | None, rows: list[tuple[str, int]]) -> None:
    """A tiny warehouse: table `marts.kpi(unit_code, leads)` and, if run_id, a `marts.fanzha_publish` row."""
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("use marts")
    con.execute("create table kpi (unit_code varchar, leads integer)")
    con.executemany("insert into kpi values (?, ?)", rows)
    if run_id is not None:
        con.execute(
            "create table fanzha_publish (published_at timestamp, run_id varchar, code_version varchar)"
        )
        con.execute("insert into fanzha_publish values (now(), ?, 'test')", [run_id])
    con.close()


def publish(home: DataHome, run_id: str, rows: list[tuple[str, int]]) -> None:
    """What the pipeline does: build a different file, then rename it onto the published path."""
    build = home.root / "build" / run_id
    build.mkdir(parents=True)
    write_version(build / "warehouse.duckdb", run_id, rows)
    os.replace(build / "warehouse.duckdb", home.warehouse)


def test_unavailable_until_published(tmp_path: Path) -> None:
    home = DataHome(tmp_path)
    reader = Reader(home)
    assert reader.available() is False
    assert reader.fingerprint() == "unavailable"
    with pytest.raises(WarehouseUnavailable, match="no published warehouse"):
        reader.query("select 1")
    publish(home, "r1", [("A", 3)])
    assert reader.available() is True


def test_parameterised_query_with_plain_and_qualified_names(tmp_path: Path) -> None:
    home = DataHome(tmp_path)
    publish(home, "r1", [("A", 3), ("B", 5), ("C", 7)])
    with Reader(home) as reader:
        df = reader.query("select unit_code, leads from kpi where leads >= ? order by unit_code", [5])
        assert df.to_dict("records") == [{"unit_code": "B", "leads": 5}, {"unit_code": "C", "leads": 7}]
        total = reader.query(
            "select sum(leads) as s from warehouse.marts.kpi where unit_code <> $u", {"u": "A"}
        )
        assert int(total["s"].iloc[0]) == 12


def test_reader_cannot_write(tmp_path: Path) -> None:
    home = DataHome(tmp_path)
    publish(home, "r1", [("A", 3)])
    with Reader(home) as reader, pytest.raises(duckdb.Error, match="read-only|read only"):
        reader.query("insert into kpi values ('Z', 1)")


def test_reader_sees_each_new_publish_and_fingerprint_changes(tmp_path: Path) -> None:
    home = DataHome(tmp_path)
    publish(home, "r1", [("A", 3)])
    reader = Reader(home)
    assert reader.query("select sum(leads) as s from kpi")["s"].iloc[0] == 3
    first = reader.fingerprint()
    assert first.startswith("r1:")
    assert reader.publish_record()["run_id"] == "r1"

    # The reader still holds r1 attached while r2 is built and renamed over it: no lock conflict.
    publish(home, "r2", [("A", 3), ("B", 4)])
    assert reader.query("select sum(leads) as s from kpi")["s"].iloc[0] == 7
    second = reader.fingerprint()
    assert second.startswith("r2:") and second != first
    assert reader.fingerprint() == second  # stable while nothing is published
    reader.close()


def test_fingerprint_changes_without_publish_table(tmp_path: Path) -> None:
    """A warehouse built before the pipeline existed (no fanzha_publish) still gets a changing key."""
    home = DataHome(tmp_path)
    home.root.mkdir(exist_ok=True)
    write_version(tmp_path / "v1.duckdb", None, [("A", 1)])
    os.replace(tmp_path / "v1.duckdb", home.warehouse)
    reader = Reader(home)
    first = reader.fingerprint()
    assert first.startswith("unpublished:")
    assert reader.publish_record() is None
    write_version(tmp_path / "v2.duckdb", None, [("A", 1), ("B", 2)])
    os.replace(tmp_path / "v2.duckdb", home.warehouse)
    assert reader.fingerprint() != first
    assert len(reader.query("select * from kpi")) == 2


def test_open_reader_does_not_block_a_writer_of_the_next_version(tmp_path: Path) -> None:
    """The build opens its own file read-write while a reader has the published one attached."""
    home = DataHome(tmp_path)
    publish(home, "r1", [("A", 3)])
    reader = Reader(home)
    assert reader.available()
    build = tmp_path / "build" / "r2"
    build.mkdir(parents=True)
    # Copying the published file as the build's starting point and writing to the copy both work.
    (build / "warehouse.duckdb").write_bytes(home.warehouse.read_bytes())
    con = duckdb.connect(str(build / "warehouse.duckdb"))
    con.execute("use marts")
    con.execute("insert into kpi values ('B', 10)")
    con.execute("update fanzha_publish set run_id = 'r2'")
    con.close()
    os.replace(build / "warehouse.duckdb", home.warehouse)
    assert reader.query("select sum(leads) as s from kpi")["s"].iloc[0] == 13
    assert reader.fingerprint().startswith("r2:")


def test_corrupt_file_reports_unavailable(tmp_path: Path) -> None:
    home = DataHome(tmp_path)
    home.warehouse.write_bytes(b"not a duckdb file at all" * 100)
    reader = Reader(home)
    assert reader.available() is False
    with pytest.raises(WarehouseUnavailable):
        reader.query("select 1")


def test_explicit_path(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.duckdb"
    write_version(path, "x", [("A", 2)])
    assert Reader(path=path).query("select leads from kpi")["leads"].tolist() == [2]


def test_a_file_without_the_marts_schema_is_unavailable_with_the_reason(tmp_path: Path) -> None:
    """Tables in `main` only (not a fanzha warehouse, or one published before the marts had their schema)."""
    home = DataHome(tmp_path)
    con = duckdb.connect(str(home.warehouse))
    con.execute("create table kpi (unit_code varchar, leads integer)")
    con.close()
    reader = Reader(home)
    assert reader.available() is False
    with pytest.raises(WarehouseUnavailable, match="it has no marts schema .*fanzha run --force"):
        reader.query("select * from kpi")
