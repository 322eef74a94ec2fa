"""The serving file: every table a Spark build made, copied into a DuckDB file with the schema, table
names, column order and types the DuckDB build gives them, so `fanzha check`, the notices and the
dashboard read it unchanged. (A provincial dashboard reads this file; Spark does the heavy work.)

Spark's types map one to one onto DuckDB's (string → VARCHAR, bigint → BIGINT, int → INTEGER, double →
DOUBLE, boolean, date, timestamp → TIMESTAMP); the models cast every column whose type the two engines
would otherwise infer differently (warehouse/README.md, "Portable SQL"). Timestamps: the session runs in
UTC, so Spark's zoned timestamps are the landing's wall-clock times and are written without a zone.
The file is written beside `out` and renamed onto it, so a reader never sees half a file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fanzha.core.errors import UserError

_SIMPLE_TYPES = {
    "string": "VARCHAR",
    "bigint": "BIGINT",
    "int": "INTEGER",
    "smallint": "SMALLINT",
    "tinyint": "TINYINT",
    "double": "DOUBLE",
    "float": "FLOAT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "timestamp_ntz": "TIMESTAMP",
}


@dataclass(frozen=True)
class ServedTable:
    schema: str
    name: str
    rows: int


def duckdb_type(spark_type: str) -> str:
    """The DuckDB column type for a Spark type's simpleString (decimal(p,s) stays decimal)."""
    if spark_type in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[spark_type]
    if spark_type.startswith("decimal("):
        return spark_type.upper()
    if spark_type.startswith("varchar(") or spark_type.startswith("char("):
        return "VARCHAR"
    raise UserError(f"the serving file cannot hold Spark type {spark_type}: cast it in the model", exit_code=1)


def built_relations(manifest: dict) -> list[tuple[str, str]]:
    """(schema, table) of every enabled model and seed of the project that the build materialises (ephemeral
    models are inlined into others and exist nowhere), sorted."""
    relations = {
        (node["schema"], node.get("alias") or node["name"])
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") in ("model", "seed") and node.get("package_name") == "fanzha"
        and node.get("config", {}).get("enabled", True)
        and node.get("config", {}).get("materialized") != "ephemeral"
    }
    return sorted(relations)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _arrow_for_duckdb(table):
    """Drop the zone from timestamps (their UTC values are the wall-clock times)."""
    import pyarrow as pa

    fields = [pa.field(f.name, pa.timestamp("us")) if pa.types.is_timestamp(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields))


def write_serving_file(spark, relations: list[tuple[str, str]], out: Path) -> list[ServedTable]:
    """Copy `relations` from the Spark catalog into a new DuckDB file at `out` (replaced atomically)."""
    import duckdb

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    for stale in (partial, partial.with_name(partial.name + ".wal")):
        stale.unlink(missing_ok=True)
    served: list[ServedTable] = []
    con = duckdb.connect(str(partial))
    try:
        for schema, name in relations:
            frame = spark.table(f"{schema}.{name}")
            columns = ", ".join(f"{_quoted(f.name)} {duckdb_type(f.dataType.simpleString())}"
                                for f in frame.schema.fields)
            target = f"{_quoted(schema)}.{_quoted(name)}"
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {_quoted(schema)}")
            con.execute(f"CREATE TABLE {target} ({columns})")
            data = _arrow_for_duckdb(frame.toArrow())
            con.register("_incoming", data)
            con.execute(f"INSERT INTO {target} SELECT * FROM _incoming")
            con.unregister("_incoming")
            served.append(ServedTable(schema, name, data.num_rows))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(partial, out)
    return served

