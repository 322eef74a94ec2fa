"""The landing database as Parquet, one folder per table, partitioned by the district whose export a row
came from (`export_district=130506/…`).

This is how Spark reads landing (the Spark target's sources, registered by the dbt macro
`spark_register_landing`) and how a province collects its districts: each district ingests its own exports
(ingestion is per district and embarrassingly parallel) and ships this folder; the province puts the
districts' `export_district=` folders side by side under one root.

The district of a row is the district of the file it came from (docs/contracts.md §2, by the row's `_file_id`
in the ingest log): the file name's 6-digit prefix when districts.csv lists it (`990001_alerts_2023-11.csv`),
else the real district.
Partitioned by district only, not by month as well: a district-month of one feed is a few hundred rows,
and 2,800 districts × 28 months × 7 tables would be half a million tiny files.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from fanzha.core.errors import UserError
from fanzha.core.paths import SEEDS_DIR
from fanzha.core.sql import literal

# The landing tables the warehouse reads (warehouse/models/staging/landing/_landing__sources.yml).
LANDING_TABLES = ("alerts", "contacts", "interceptions", "cases", "activities", "quarantine", "ingest_log")
PARTITION_COLUMN = "export_district"


@dataclass(frozen=True)
class ExportResult:
    root: Path
    rows: dict[str, int]
    districts: int
    seconds: float


def _select(table: str, columns: list[tuple[str, str]]) -> str:
    """The table's columns as Parquet can hold them (JSON as text), plus the district of the row's file."""
    exprs = [f'CAST(t."{name}" AS VARCHAR) AS "{name}"' if kind == "JSON" else f't."{name}"'
             for name, kind in columns]
    return (f"SELECT {', '.join(exprs)}, coalesce(f.district_code, (SELECT code FROM _real)) AS {PARTITION_COLUMN} "
            f"FROM landing.main.{table} AS t LEFT JOIN _file_districts AS f ON f._file_id = t._file_id")


def export_landing(landing: Path, out: Path, *, seeds: Path = SEEDS_DIR) -> ExportResult:
    """Write every landing table to `out/<table>/export_district=<code>/*.parquet` (replacing `out`)."""
    import duckdb

    if not landing.exists():
        raise UserError(f"no landing database at {landing}: run 'fanzha ingest' first", exit_code=1)
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {literal(landing)} AS landing (READ_ONLY)")
        con.execute(f"""CREATE TEMP TABLE _districts AS
            SELECT district_code, lower(is_synthetic) = 'true' AS is_synthetic
            FROM read_csv({literal(seeds / 'districts.csv')}, all_varchar = true, header = true)""")
        con.execute("CREATE TEMP TABLE _real AS SELECT min(district_code) AS code FROM _districts WHERE NOT is_synthetic")
        present = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'landing' AND schema_name = 'main'").fetchall()}
        missing = [t for t in LANDING_TABLES if t not in present]
        if missing:
            raise UserError(f"{landing}: landing tables missing: {', '.join(missing)} (run 'fanzha ingest')", exit_code=1)
        con.execute(r"""CREATE TEMP TABLE _file_districts AS
            SELECT log._file_id, d.district_code FROM landing.main.ingest_log AS log
            JOIN _districts AS d ON d.district_code = regexp_extract(log.file_name, '^([0-9]{6})[_-]', 1)""")
        rows: dict[str, int] = {}
        for table in LANDING_TABLES:
            columns = [(str(n), str(k)) for n, k in con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'landing' "
                "AND schema_name = 'main' AND table_name = ? ORDER BY column_index", [table]).fetchall()]
            target = out / table
            query = _select(table, columns)
            rows[table] = int(con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0])
            if rows[table] == 0:  # an empty table still needs one file (in a partition), so Spark knows its columns
                real = con.execute("SELECT code FROM _real").fetchone()[0]
                folder = target / f"{PARTITION_COLUMN}={real}"
                folder.mkdir(parents=True)
                con.execute(f"COPY (SELECT * EXCLUDE ({PARTITION_COLUMN}) FROM ({query})) "
                            f"TO {literal(folder / 'part_0.parquet')} (FORMAT parquet)")
            else:
                con.execute(f"COPY ({query}) TO {literal(target)} "
                            f"(FORMAT parquet, PARTITION_BY ({PARTITION_COLUMN}), FILENAME_PATTERN 'part_{{i}}')")
        districts = len({p.name for t in LANDING_TABLES for p in (out / t).glob(f"{PARTITION_COLUMN}=*")})
    finally:
        con.close()
    return ExportResult(out, rows, districts, time.perf_counter() - started)
