"""The build the monthly run works on: one fixed path, continued from the last successful build.

    build/work/warehouse.duckdb   the run's build file, always at this path, so dbt's saved parse (which
                                  hashes the profile's paths) stays valid from one run to the next
    build/work/dbt_target/        dbt's target folder: partial_parse.msgpack, run_results.json
    build/work/dbt_logs/
    build/base/warehouse.duckdb   the build the last successful run published from: every dbt layer and
                                  the incremental models' state; the next run continues from a copy of it

Copy on write: a run copies the base onto the work path, builds there, checks it, publishes its marts and
only then promotes it to be the next base (`os.replace`). A run that fails or is killed at any moment
leaves the base as it was; its half-built work file is overwritten by the next run's fresh copy.

The base is continued only when it was built by the same code (`fanzha_build_state.code_version`) and
everything it took in is still in the landing (file ids and checksums); otherwise, or with
`fanzha run --full-refresh`, the run builds from an empty file.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fanzha.core.paths import DataHome
from fanzha.core.sql import literal

FILE_NAME = "warehouse.duckdb"  # fixed: the DuckDB catalog of every build is `warehouse`
STATE_TABLE = "main.fanzha_build_state"
FILES_MODEL = "int_files_recorded"  # the incremental model listing every landed file a build took in


def work_dir(home: DataHome) -> Path:
    return home.build / "work"


def work_file(home: DataHome) -> Path:
    return work_dir(home) / FILE_NAME


def base_file(home: DataHome) -> Path:
    return home.build / "base" / FILE_NAME


@dataclass(frozen=True)
class WorkBuild:
    file: Path  # where dbt builds
    dbt_dir: Path  # dbt's target and log folders (stable: the saved parse lives there)
    continued: bool  # True: a copy of the base (incremental models add to it); False: an empty file
    reason: str  # why the run continues the base or starts afresh

    def describe(self) -> str:
        return ("continued from the last build" if self.continued else "from scratch") + f" ({self.reason})"


def _remove_file(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def base_state(base: Path) -> dict | None:
    """The base's `fanzha_build_state` row ({code_version, run_id, built_at}), or None."""
    if not base.is_file():
        return None
    import duckdb

    try:
        con = duckdb.connect(str(base), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(f"select code_version, run_id, built_at from {STATE_TABLE}").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return None if row is None else {"code_version": row[0], "run_id": row[1], "built_at": row[2]}


def files_missing_from_landing(base: Path, landing: Path) -> int | None:
    """How many files the base took in are no longer in the landing with the same checksum (a landing
    rebuilt or restored from elsewhere); None when the base does not say which files it took in."""
    import duckdb

    con = duckdb.connect(str(base), read_only=True)
    try:
        found = con.execute(
            "select schema_name from duckdb_tables() where table_name = ? order by schema_name limit 1", [FILES_MODEL]
        ).fetchone()
        if found is None:
            return None
        con.execute(f"attach {literal(str(landing))} as landing_now (read_only)")
        return con.execute(
            f'select count(*) from "{found[0]}".{FILES_MODEL} as taken '
            "where not exists (select 1 from landing_now.main.ingest_log as l "
            "where l._file_id = taken.source_file_id and l.sha256 = taken.sha256 and l.status = 'landed')"
        ).fetchone()[0]
    finally:
        con.close()


def decide(home: DataHome, code_version: str, *, full_refresh: bool) -> tuple[bool, str]:
    """Pure-ish: whether the run may continue the base, and why (reads the base and the landing)."""
    base = base_file(home)
    if full_refresh:
        return False, "--full-refresh"
    state = base_state(base)
    if state is None:
        return False, "no earlier build to continue"
    if state["code_version"] != code_version:
        return False, f"the code changed since the last build ({state['code_version']} → {code_version})"
    missing = files_missing_from_landing(base, home.landing)
    if missing is None:
        return False, "the last build does not record which files it took in"
    if missing:
        return False, f"{missing} file(s) the last build took in are no longer in the landing"
    return True, f"run {state['run_id']}, same code"


def prepare(home: DataHome, code_version: str, *, full_refresh: bool) -> WorkBuild:
    """Put the run's build file in place: a fresh copy of the base, or nothing (dbt starts it empty)."""
    target = work_file(home)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_file(target)  # whatever a failed or killed run left there is never trusted
    continued, reason = decide(home, code_version, full_refresh=full_refresh)
    if continued:
        shutil.copyfile(base_file(home), target)
    return WorkBuild(target, work_dir(home), continued, reason)


def record_state(build: Path, code_version: str, run_id: str) -> None:
    """Write who built this file into it (one row), checkpointed, before it becomes the base."""
    import duckdb

    con = duckdb.connect(str(build))
    try:
        con.execute(f"create or replace table {STATE_TABLE} (code_version varchar, run_id varchar, built_at timestamp)")
        con.execute(
            f"insert into {STATE_TABLE} values (?, ?, ?)",
            [code_version, run_id, datetime.now(UTC).replace(tzinfo=None)],
        )
        con.execute("checkpoint")
    finally:
        con.close()


def promote(home: DataHome, build: Path) -> Path:
    """Make the (checked, published, checkpointed) work file the next run's base, atomically."""
    target = base_file(home)
    target.parent.mkdir(parents=True, exist_ok=True)
    if build.with_name(build.name + ".wal").exists():
        raise RuntimeError(f"{build}.wal still exists after checkpoint; not promoting it")
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    os.replace(build, target)
    fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return target
