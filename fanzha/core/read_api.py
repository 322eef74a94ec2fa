"""The reading side of the published warehouse (used by the dashboard and the notices).

A `Reader` never opens the published file for writing and never holds the file the pipeline
builds: it opens a fresh in-memory DuckDB and `ATTACH`es `$FANZHA_HOME/warehouse.duckdb`
READ_ONLY. The pipeline publishes by `os.replace` of a *different* file onto that path, so a
reader keeps its open handle on the previous version (still a complete file) until it notices
the path now names a new file (inode, mtime or size changed) and re-attaches. That check is one
`os.stat` per query, so readers always see the latest publish and never block the build.

The published file holds one schema, `marts` (docs/contracts.md §4): the reader runs
`USE warehouse.marts`, so SQL names a mart plainly (`kpi_unit_monthly`) or in full
(`warehouse.marts.kpi_unit_monthly`).

    reader = Reader()                       # FANZHA_HOME's published warehouse
    if reader.available():
        df = reader.query("select * from kpi_unit_monthly where month = ?", [month])
        key = reader.fingerprint()          # changes on every publish: use as cache key
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome, data_home
from fanzha.core.sql import literal

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

CATALOG = "warehouse"
SCHEMA = "marts"  # the one schema of the published file: the dbt marts and fanzha_publish

# (inode, mtime in ns, size): identifies one published version of the file cheaply.
FileStamp = tuple[int, int, int]


class WarehouseUnavailable(UserError):
    """No published warehouse yet (or it cannot be opened)."""

    def __init__(self, path: Path, reason: str = "") -> None:
        detail = f": {reason}" if reason else ""
        super().__init__(f"no published warehouse at {path}{detail} (run `fanzha run` first)", exit_code=1)
        self.path = path


def file_stamp(path: Path) -> FileStamp | None:
    """The (inode, mtime_ns, size) of `path`, or None if it is not a regular file."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not os.path.isfile(path):
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)



class Reader:
    """Read-only access to the published warehouse; re-attaches when a new version is published.

    Thread-safe: one connection, guarded by a lock (Streamlit serves sessions from threads).
    """

    def __init__(self, home: DataHome | None = None, path: Path | None = None) -> None:
        if path is not None:
            self.path = Path(path)
        else:
            self.path = (home or data_home()).warehouse
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: FileStamp | None = None
        self._run_id: str | None = None
        self._lock = threading.RLock()

    # -- public API ---------------------------------------------------------------------------

    def available(self) -> bool:
        """True when a published warehouse exists and can be attached."""
        with self._lock:
            try:
                self._connection()
            except WarehouseUnavailable:
                return False
            return True

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run one parameterised SELECT against the latest published warehouse.

        Values go in `params` (`?` or `$name` placeholders), never formatted into `sql`.
        Tables can be named `<table>` or `warehouse.marts.<table>`.
        """
        with self._lock:
            con = self._connection()
            cursor = con.execute(sql, params) if params is not None else con.execute(sql)
            return cursor.df()

    def fingerprint(self) -> str:
        """A key that changes on every publish: the publish run id plus the file's identity."""
        with self._lock:
            try:
                self._connection()
            except WarehouseUnavailable:
                return "unavailable"
            assert self._stamp is not None
            ino, mtime_ns, size = self._stamp
            return f"{self._run_id or 'unpublished'}:{ino}:{mtime_ns}:{size}"

    def publish_record(self) -> dict[str, Any] | None:
        """The latest row of `fanzha_publish` (see docs/contracts.md §5), or None if there is none."""
        with self._lock:
            con = self._connection()
            if not self._has_publish_table(con):
                return None
            df = con.execute(
                f"select * from {CATALOG}.{SCHEMA}.fanzha_publish order by published_at desc limit 1"
            ).df()
            return None if df.empty else df.iloc[0].to_dict()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con = None
            self._stamp = None
            self._run_id = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------

    def _connection(self) -> duckdb.DuckDBPyConnection:
        stamp = file_stamp(self.path)
        if stamp is None:
            self.close()
            raise WarehouseUnavailable(self.path)
        if self._con is None or stamp != self._stamp:
            self._attach(stamp)
        assert self._con is not None
        return self._con

    def _attach(self, stamp: FileStamp) -> None:
        import duckdb

        self.close()
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"attach {literal(str(self.path))} as {CATALOG} (read_only)")
            if not self._has_marts(con):
                raise WarehouseUnavailable(
                    self.path,
                    f"it has no {SCHEMA} schema (not a fanzha warehouse, or published before the marts had "
                    "their own schema: run `fanzha run --force`)",
                )
            con.execute(f"use {CATALOG}.{SCHEMA}")
            run_id = self._latest_run_id(con)
        except WarehouseUnavailable:
            con.close()
            raise
        except duckdb.Error as exc:
            con.close()
            raise WarehouseUnavailable(self.path, str(exc).splitlines()[0]) from exc
        # The path may have been replaced between the stat and the attach: then the stamp is
        # older than the attached file and the next call simply re-attaches once more.
        self._con, self._stamp, self._run_id = con, stamp, run_id

    @staticmethod
    def _has_marts(con: duckdb.DuckDBPyConnection) -> bool:
        row = con.execute(
            "select count(*) from duckdb_schemas() where database_name = ? and schema_name = ?", [CATALOG, SCHEMA]
        ).fetchone()
        return bool(row and row[0])

    @staticmethod
    def _has_publish_table(con: duckdb.DuckDBPyConnection) -> bool:
        row = con.execute(
            "select count(*) from duckdb_tables() where database_name = ? and schema_name = ? "
            "and table_name = 'fanzha_publish'",
            [CATALOG, SCHEMA],
        ).fetchone()
        return bool(row and row[0])

    def _latest_run_id(self, con: duckdb.DuckDBPyConnection) -> str | None:
        if not self._has_publish_table(con):
            return None
        row = con.execute(
            f"select run_id from {CATALOG}.{SCHEMA}.fanzha_publish order by published_at desc limit 1"
        ).fetchone()
        return None if row is None else str(row[0])
