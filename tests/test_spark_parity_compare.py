"""The warehouse comparison the Spark parity test relies on (tests/fixtures/parity.py), on hand-made files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.fixtures.parity import compare_warehouses

TABLE = """create table main.kpi (unit_code varchar, month date, leads bigint, rate double, ok boolean);
           insert into main.kpi values ('A', '2023-11-01', 3, 0.5, true), ('B', '2023-11-01', 0, null, false)"""


def make(path: Path, *statements: str) -> Path:
    with duckdb.connect(str(path)) as con:
        for sql in (TABLE, *statements):
            con.execute(sql)
    return path


@pytest.fixture
def left(tmp_path: Path) -> Path:
    return make(tmp_path / "left.duckdb")


def test_equal_files_and_double_noise_are_equal(left: Path, tmp_path: Path):
    right = make(tmp_path / "right.duckdb", "update kpi set rate = rate * (1 + 1e-13) where unit_code = 'A'")
    assert compare_warehouses(left, right) == []


@pytest.mark.parametrize(("change", "expected"), [
    ("update kpi set rate = 0.5000001 where unit_code = 'A'", "rate': (0.5, 0.5000001)"),
    ("update kpi set rate = 0.25 where unit_code = 'B'", "rate': (None, 0.25)"),
    ("update kpi set leads = 4 where unit_code = 'A'", "leads': (3, 4)"),
    ("update kpi set ok = null where unit_code = 'B'", "ok': (False, None)"),
    ("insert into kpi values ('C', '2023-11-01', 1, 1.0, true)", "main.kpi row 3"),
    ("create table main.extra (x integer)", "main.extra: only in right.duckdb"),
])
def test_a_difference_is_reported(left: Path, tmp_path: Path, change: str, expected: str):
    found = compare_warehouses(left, make(tmp_path / "right.duckdb", change))
    assert len(found) == 1 and expected in found[0], found


def test_a_type_difference_is_reported(left: Path, tmp_path: Path):
    right = make(tmp_path / "right.duckdb", "alter table kpi alter leads type hugeint")
    assert compare_warehouses(left, right) == [
        "main.kpi: columns differ: [('unit_code', 'VARCHAR'), ('month', 'DATE'), ('leads', 'BIGINT'), ('rate', 'DOUBLE'), "
        "('ok', 'BOOLEAN')] vs [('unit_code', 'VARCHAR'), ('month', 'DATE'), ('leads', 'HUGEINT'), ('rate', 'DOUBLE'), "
        "('ok', 'BOOLEAN')]"]


def test_schemas_limit_the_comparison(left: Path, tmp_path: Path):
    right = make(tmp_path / "right.duckdb", "create schema marts", "create table marts.m (x integer)",
                 "insert into marts.m values (1)", "update kpi set leads = 4 where unit_code = 'A'")
    assert compare_warehouses(left, right, schemas=lambda s: s != "marts") == [
        "main.kpi row 1: {'leads': (3, 4)}"]
    assert compare_warehouses(left, right, schemas=lambda s: s == "marts") == ["marts.m: only in right.duckdb"]
