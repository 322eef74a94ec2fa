"""`ingest_paths`: land export files into landing.duckdb, one transaction per batch of files (batch.py).

Which files: `discover.select_exports` (lock files, hidden files and non-exports are passed over and named in the
report). Per file: hash and sniff it; skip it when the same content already landed; find the header row and
feed; read every cell as text into DuckDB; then per batch parse, validate and pseudonymise in SQL (stage.py) and
write the quarantine rows, the new record versions and the ingest-log rows in ONE transaction, checking the
accounting invariant. A crash before the commit leaves the landing database as it was before the batch.
When DuckDB fails on a batch, its files are landed again as batches of one: only a bad file is rejected.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome
from ingestion import batch, landing, reference
from ingestion.batch import BeforeCommit
from ingestion.discover import select_exports
from ingestion.encoding import Sniffed
from ingestion.pii import install_hmac_macro, load_key
from ingestion.readers import RawFile, read_csv_file
from ingestion.report import LANDED, REJECTED, SKIPPED, FileOutcome, IngestReport
from ingestion.sqlnorm import install_macros

# Values later than now + this are "in the future" (exports are stamped in local time; the host may run UTC).
FUTURE_TOLERANCE = timedelta(days=1)


def connect_landing(home: DataHome) -> duckdb.DuckDBPyConnection:
    home.root.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(home.landing))
    except duckdb.IOException as err:
        if "lock" in str(err).lower():
            raise UserError(f"{home.landing} is in use by another process; try again when it has finished", 1) from None
        raise UserError(f"cannot open {home.landing}: {str(err).splitlines()[0]}", 1) from None
    landing.ensure_schema(conn)
    return conn


def _read(conn: duckdb.DuckDBPyConnection, path: Path, sniffed: Sniffed) -> RawFile:
    """The reader for the format the bytes show, whatever the file's extension."""
    from ingestion.workbooks import read_html_file, read_workbook_file

    if sniffed.format in ("xlsx", "xls"):
        return read_workbook_file(conn, path, sniffed.format)
    assert sniffed.encoding is not None
    if sniffed.format == "html":
        return read_html_file(conn, path, sniffed.encoding)
    return read_csv_file(conn, path, sniffed.encoding)


def _archive(home: DataHome, path: Path) -> Path:
    folder = home.archive / date.today().isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / path.name
    n = 2
    while dest.exists():
        dest = folder / f"{path.stem} ({n}){path.suffix}"
        n += 1
    shutil.move(str(path), dest)
    return dest


def _reject_alone(conn: duckdb.DuckDBPyConnection, out: FileOutcome, err: duckdb.Error, started: datetime) -> None:
    """A file DuckDB failed on even as a batch of one: rejected, with only its ledger row written."""
    out.status = REJECTED
    out.rows_read = out.rows_landed = out.rows_quarantined = out.rows_duplicate = 0
    out.message = batch.duckdb_failure(out, err)
    conn.execute("BEGIN TRANSACTION")
    batch.insert_log(conn, [out], started)
    conn.execute("COMMIT")


def _land_batch(conn: duckdb.DuckDBPyConnection, files: list[Path], first_id: int, *, max_files: int,
                before_commit: BeforeCommit | None, progress: Callable[[], Any]) -> list[FileOutcome]:
    """Stage files from the front of `files` until the batch is full and land them in one transaction. When
    DuckDB fails on it, nothing of it was written: its files are landed again as batches of one."""
    work = batch.Batch(started=datetime.now(), landed_sha=landing.landed_files(conn),
                       district_of=reference.district_finder(conn), max_files=max_files)
    taken: list[Path] = []
    try:
        for path in files:
            taken.append(path)
            batch.stage_file(conn, work, path, first_id + len(taken) - 1, _read)
            progress()
            if work.full():
                break
        batch.commit_batch(conn, work, datetime.now() + FUTURE_TOLERANCE, before_commit)
    except duckdb.Error as err:
        batch.drop_tables(conn, work)
        if len(taken) == 1:
            _reject_alone(conn, work.outcomes[0], err, work.started)
            return work.outcomes
        return [out for i, path in enumerate(taken)
                for out in _land_batch(conn, [path], first_id + i, max_files=1, before_commit=before_commit,
                                       progress=lambda: None)]
    return work.outcomes


def _passed_over(selection: Any) -> list[FileOutcome]:
    return [FileOutcome(file_id=None, file_name=p.path.name, file_path=str(p.path), status=p.status,
                        message=f"{p.path.name}: {p.reason}") for p in selection.passed_over]


def ingest_paths(home: DataHome, paths: list[Path], *, archive_inbox: bool, quiet: bool,
                 before_commit: BeforeCommit | None = None) -> IngestReport:
    """Land the export files found at `paths` (files or folders) into `home.landing`.

    Files are taken and ordered by `discover.select_exports` and landed in batches (batch.py); each batch lands
    whole or not at all. With `archive_inbox`, files taken from `home.inbox` move to `home.archive/YYYY-MM-DD/`
    once their batch has landed (or found already landed). The report lists every file: those landed, skipped
    or rejected, then those passed over. `before_commit` is called inside each batch's transaction, just before
    its COMMIT (tests use it to stop a process there).
    """
    selection = select_exports(paths)
    files = selection.files
    report = IngestReport()
    key = load_key(home)
    conn = connect_landing(home)
    inbox = home.inbox.resolve()
    try:
        install_macros(conn)
        install_hmac_macro(conn, key)
        reference.install_reference(conn)
        from tqdm import tqdm

        with tqdm(total=len(files), desc="ingest", unit="file", file=sys.stderr, disable=quiet or not files) as bar:
            done = 0
            while done < len(files):
                outcomes = _land_batch(conn, files[done:], landing.next_file_id(conn), max_files=batch.MAX_FILES,
                                       before_commit=before_commit, progress=lambda: bar.update(1))
                for path, outcome in zip(files[done:done + len(outcomes)], outcomes, strict=True):
                    if archive_inbox and outcome.status in (LANDED, SKIPPED) and path.is_relative_to(inbox):
                        outcome.archived_to = str(_archive(home, path))
                    report.files.append(outcome)
                done += len(outcomes)
    finally:
        conn.close()
    report.files.extend(_passed_over(selection))
    for outcome in report.files:
        outcome.mask()
    return report
