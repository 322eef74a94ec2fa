"""Publishing a checked build: the marts copied into a new file, the `fanzha_publish` record, fsync,
atomic rename, cleaning old builds.

The build file holds every dbt layer (reference, staging, intermediate, marts); the published file holds
the `marts` schema only (tables, no views: it is self-contained). The published path only ever changes
by `os.replace` of a complete, checkpointed, fsynced file, so a crash at any instant leaves either the
previous or the new version there, never a partial one.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fanzha.core.paths import DataHome
from fanzha.core.read_api import SCHEMA
from fanzha.core.sql import literal

CANDIDATE_NAME = "published.duckdb"  # the file built beside the build file, then renamed onto the published path

PUBLISH_COLUMNS = (
    "published_at",
    "run_id",
    "code_version",
    "input_fingerprint",
    "scheme_version",
    "expectations_json",
    "freshness_json",
    "rebuild_json",
)
# `fanzha build` without --out; the monthly run's work folder and the build it continues (pipeline/workbuild.py)
KEEP_BUILD_DIRS = {"manual", "work", "base"}


@dataclass(frozen=True)
class PublishRecord:
    published_at: datetime
    run_id: str
    code_version: str
    input_fingerprint: str
    scheme_version: str | None
    expectations_json: str
    freshness_json: str
    rebuild_json: str = "{}"  # which months the build rebuilt and why (fanzha/pipeline/changes.py)

    def to_json(self) -> str:
        payload: dict[str, Any] = asdict(self)
        payload["published_at"] = self.published_at.isoformat()
        for key in ("expectations_json", "freshness_json", "rebuild_json"):
            payload[key.removesuffix("_json")] = json.loads(payload.pop(key))
        return json.dumps(payload, ensure_ascii=False, indent=2, default=str)



def read_published(path: Path) -> dict[str, Any] | None:
    """The latest publish record of a warehouse file, or None (no file, no table, unreadable)."""
    if not path.is_file():
        return None
    from fanzha.core.read_api import Reader, WarehouseUnavailable

    reader = Reader(path=path)
    try:
        return reader.publish_record()
    except WarehouseUnavailable:
        return None
    finally:
        reader.close()


class PublishError(RuntimeError):
    """The build cannot be published as it is (no marts, or a view among them)."""


def scheme_version_of(build_file: Path) -> str | None:
    import duckdb

    con = duckdb.connect(str(build_file), read_only=True)
    try:
        tables = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = ?", [SCHEMA]
            ).fetchall()
        }
        for table in ("ranking_unit_monthly", "score_unit_monthly"):
            if table in tables:
                row = con.execute(f"select max(scheme_version) from {SCHEMA}.{table}").fetchone()
                if row and row[0] is not None:
                    return str(row[0])
        return None
    finally:
        con.close()


def export_marts(build_file: Path, candidate: Path) -> list[str]:
    """Copy the build's `marts` schema, table by table (columns, types and constraints as built), into a
    new file `candidate`; nothing of the other layers. Returns the tables copied.

    Raises PublishError when the build has no marts or a view among them (a view would point into the
    build file, which is deleted after the publish).
    """
    import duckdb

    candidate.unlink(missing_ok=True)  # left over by a run killed while exporting
    candidate.with_name(candidate.name + ".wal").unlink(missing_ok=True)
    con = duckdb.connect(str(candidate))
    try:
        con.execute(f"attach {literal(str(build_file))} as build (read_only)")
        views = con.execute(
            "select view_name from duckdb_views() where database_name = 'build' and schema_name = ?", [SCHEMA]
        ).fetchall()
        if views:
            names = ", ".join(sorted(v[0] for v in views))
            raise PublishError(f"the {SCHEMA} schema of {build_file} holds views ({names}); marts must be tables")
        tables = con.execute(
            "select table_name, sql from duckdb_tables() where database_name = 'build' and schema_name = ? "
            "order by table_name",
            [SCHEMA],
        ).fetchall()
        if not tables:
            raise PublishError(f"{build_file} has no {SCHEMA} schema to publish")
        con.execute("begin")
        con.execute(f"create schema {SCHEMA}")
        for name, ddl in tables:
            con.execute(ddl)  # CREATE TABLE marts.<name>(…) as dbt built it, now in the candidate file
            con.execute(f'insert into {SCHEMA}."{name}" select * from build.{SCHEMA}."{name}"')
        con.execute("commit")
        con.execute("detach build")
        con.execute("checkpoint")
    finally:
        con.close()
    return [name for name, _ in tables]


def _attach_previous(con: Any, previous: Path) -> bool:
    """Attach the published file as `previous`; False when there is none or it cannot be opened."""
    import duckdb

    if not previous.is_file():
        return False
    try:
        con.execute(f"attach {literal(str(previous))} as previous (read_only)")
    except duckdb.Error:
        return False
    return True


def _history_schema(con: Any) -> str | None:
    """The schema of `previous.fanzha_publish`: marts, or main in a file published before the layers had
    schemas (so the first publish after the upgrade keeps the history). None when there is none."""
    row = con.execute(
        "select schema_name from duckdb_tables() where database_name = 'previous' and table_name = 'fanzha_publish' "
        "and schema_name in (?, 'main') order by schema_name = ? desc limit 1",
        [SCHEMA, SCHEMA],
    ).fetchone()
    return None if row is None else str(row[0])


def write_publish_record(warehouse: Path, record: PublishRecord, previous: Path | None) -> None:
    """Append `record` to the file's `marts.fanzha_publish`, carrying over the history of `previous`."""
    import duckdb

    table = f"{SCHEMA}.fanzha_publish"
    con = duckdb.connect(str(warehouse))
    try:
        exists = con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = 'fanzha_publish'",
            [SCHEMA],
        ).fetchone()[0]
        if not exists:
            con.execute(f"create schema if not exists {SCHEMA}")
            con.execute(
                f"create table {table} (published_at timestamp, run_id varchar, code_version varchar, "
                "input_fingerprint varchar, scheme_version varchar, expectations_json varchar, freshness_json varchar, "
                "rebuild_json varchar)"
            )
            if previous is not None and _attach_previous(con, previous):
                schema = _history_schema(con)
                if schema is not None:
                    had = {
                        r[0]
                        for r in con.execute(
                            "select column_name from duckdb_columns() where database_name = 'previous' "
                            "and schema_name = ? and table_name = 'fanzha_publish'",
                            [schema],
                        ).fetchall()
                    }
                    cols = ", ".join(c for c in PUBLISH_COLUMNS if c in had)  # records from before rebuild_json
                    con.execute(
                        f"insert into {table} ({cols}) select {cols} from previous.{schema}.fanzha_publish"
                    )
                con.execute("detach previous")
        con.execute(
            f"insert into {table} ({', '.join(PUBLISH_COLUMNS)}) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                record.published_at.astimezone(UTC).replace(tzinfo=None),
                record.run_id,
                record.code_version,
                record.input_fingerprint,
                record.scheme_version,
                record.expectations_json,
                record.freshness_json,
                record.rebuild_json,
            ],
        )
        con.execute("checkpoint")
    finally:
        con.close()


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_durable(candidate: Path) -> None:
    """The file to publish is complete on disk: no pending WAL, contents fsynced."""
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after checkpoint; refusing to publish")
    _fsync(candidate)


def atomic_publish(candidate: Path, target: Path) -> None:
    """Rename the (durable) candidate file onto the published path and make the rename durable."""
    os.replace(candidate, target)
    _fsync(target.parent, directory=True)


def clean_builds(home: DataHome, keep: set[str] | None = None) -> list[str]:
    """Remove build directories of earlier (finished or killed) runs; returns their names."""
    removed = []
    if not home.build.is_dir():
        return removed
    keep_names = KEEP_BUILD_DIRS | (keep or set())
    for entry in sorted(home.build.iterdir()):
        if entry.is_dir() and entry.name not in keep_names:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def write_publish_json(home: DataHome, record: PublishRecord) -> Path:
    path = home.logs / f"{record.run_id}.publish.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record.to_json() + "\n", encoding="utf-8")
    return path
