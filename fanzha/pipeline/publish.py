"""Publishing a checked build: the `fanzha_publish` record, fsync, atomic rename, cleaning old builds.

The published path only ever changes by `os.replace` of a complete, checkpointed, fsynced file, so a
crash at any instant leaves either the previous or the new version there, never a partial one.
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
from fanzha.core.sql import literal

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


def scheme_version_of(build_file: Path) -> str | None:
    import duckdb

    con = duckdb.connect(str(build_file), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        for table in ("ranking_unit_monthly", "score_unit_monthly"):
            if table in tables:
                row = con.execute(f"select max(scheme_version) from {table}").fetchone()
                if row and row[0] is not None:
                    return str(row[0])
        return None
    finally:
        con.close()


def write_publish_record(build_file: Path, record: PublishRecord, previous: Path | None) -> None:
    """Append `record` to the build's `fanzha_publish`, carrying over the history of `previous`."""
    import duckdb

    con = duckdb.connect(str(build_file))
    try:
        exists = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'main' and table_name = 'fanzha_publish'"
        ).fetchone()[0]
        if not exists:
            con.execute(
                "create table fanzha_publish (published_at timestamp, run_id varchar, code_version varchar, "
                "input_fingerprint varchar, scheme_version varchar, expectations_json varchar, freshness_json varchar, "
                "rebuild_json varchar)"
            )
            if previous is not None and read_published(previous) is not None:
                con.execute(f"attach {literal(str(previous))} as previous (read_only)")
                had = {
                    r[0]
                    for r in con.execute(
                        "select column_name from duckdb_columns() where database_name = 'previous' "
                        "and schema_name = 'main' and table_name = 'fanzha_publish'"
                    ).fetchall()
                }
                cols = ", ".join(c for c in PUBLISH_COLUMNS if c in had)  # records from before rebuild_json
                con.execute(
                    f"insert into fanzha_publish ({cols}) select {cols} from previous.main.fanzha_publish"
                )
                con.execute("detach previous")
        con.execute(
            f"insert into fanzha_publish ({', '.join(PUBLISH_COLUMNS)}) values (?, ?, ?, ?, ?, ?, ?, ?)",
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


def copy_for_publish(build_file: Path, candidate: Path) -> None:
    """The file to publish, made beside the build (which stays: it becomes the next run's base)."""
    candidate.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (candidate, candidate.with_name(candidate.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(build_file, candidate)


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_durable(build_file: Path) -> None:
    """The build file is complete on disk: no pending WAL, contents fsynced."""
    wal = build_file.with_name(build_file.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after checkpoint; refusing to publish")
    _fsync(build_file)


def atomic_publish(build_file: Path, target: Path) -> None:
    """Rename the (durable) build file onto the published path and make the rename durable."""
    os.replace(build_file, target)
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
