"""The landing database as Parquet for Spark (fanzha/spark/landing_export.py), on the hand-made landing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from fanzha.core.errors import UserError
from fanzha.spark.landing_export import LANDING_TABLES, export_landing
from tests.fixtures.landing import create_landing


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    path = create_landing(tmp_path / "landing.duckdb")
    with duckdb.connect(str(path)) as con:
        # a clone district's file (its name starts with a listed code) and a file of an unlisted prefix
        con.execute("INSERT INTO ingest_log VALUES (90, '990001_alerts_2023-11.csv', '/x/a', 's90', 'alerts', 'csv', "
                    "'utf-8', 'zh', 1, 1, 0, 0, 'landed', NULL, TIMESTAMP '2024-01-05', TIMESTAMP '2024-01-05'), "
                    "(91, '123456_alerts_2023-11.csv', '/x/b', 's91', 'alerts', 'csv', 'utf-8', 'zh', 1, 1, 0, 0, "
                    "'landed', NULL, TIMESTAMP '2024-01-05', TIMESTAMP '2024-01-05')")
        con.execute("UPDATE alerts SET _file_id = 90 WHERE rowid = (SELECT min(rowid) FROM alerts)")
        con.execute("UPDATE alerts SET _file_id = 91 WHERE rowid = (SELECT max(rowid) FROM alerts)")
        con.execute("DELETE FROM interceptions")
    return path


def test_every_table_is_exported_by_district(landing: Path, tmp_path: Path):
    result = export_landing(landing, tmp_path / "parquet")
    con = duckdb.connect()
    with duckdb.connect(str(landing), read_only=True) as source:
        expected = {t: source.execute(f"select count(*) from {t}").fetchone()[0] for t in LANDING_TABLES}
    assert result.rows == expected and expected["interceptions"] == 0
    alerts = str(tmp_path / "parquet" / "alerts" / "*" / "*.parquet")
    by_district = dict(con.execute(f"select export_district, count(*) from read_parquet('{alerts}', "
                                   "hive_partitioning = true, hive_types_autocast = false) group by 1").fetchall())
    # the 990001_ file is the clone's; an unlisted prefix and files missing from the log are the real district's
    assert by_district == {"990001": 1, "130506": expected["alerts"] - 1}
    assert result.districts == 2


def test_an_empty_table_keeps_its_columns_and_json_becomes_text(landing: Path, tmp_path: Path):
    export_landing(landing, tmp_path / "parquet")
    con = duckdb.connect()
    empty = str(tmp_path / "parquet" / "interceptions" / "*" / "*.parquet")
    columns = [r[0] for r in con.execute(f"describe select * from read_parquet('{empty}', hive_partitioning = true)").fetchall()]
    assert columns[:3] == ["interception_id", "alert_id", "case_id"] and columns[-1] == "export_district"
    quarantine = str(tmp_path / "parquet" / "quarantine" / "*" / "*.parquet")
    types = dict(con.execute(f"select column_name, column_type from (describe select * from read_parquet('{quarantine}'))").fetchall())
    assert types["raw_row_masked"] == "VARCHAR"


def test_a_missing_landing_is_a_user_error(tmp_path: Path):
    with pytest.raises(UserError, match="run 'fanzha ingest' first"):
        export_landing(tmp_path / "nope.duckdb", tmp_path / "parquet")
