"""`ingest_paths`: land export files into landing.duckdb, one transaction per batch of files (batch.py).

`ingest_file` is the one-file path, used when DuckDB fails on a batch so that only the bad file is rejected.
Per file: hash and sniff it; skip it when the same content already landed; find the header row and feed; read
every cell as text into DuckDB; parse, validate and pseudonymise in SQL (stage.py); then in ONE transaction write
the quarantine rows, the new record versions and the ingest-log row, check the accounting invariant, commit.
A crash before the commit leaves the landing database as it was before the file (batch.py: before the batch).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome
from ingestion import batch, landing, reference, stage
from ingestion.discover import discover
from ingestion.encoding import Sniffed, UnreadableFile, sniff
from ingestion.pii import install_hmac_macro, load_key
from ingestion.readers import NoFeedMatched, RawFile, read_csv_file, read_xlsx_file
from ingestion.report import LANDED, REJECTED, SKIPPED, FileOutcome, IngestReport
from ingestion.sqlnorm import install_macros

# Test hook: when set to a path, ingestion touches that file and sleeps inside the open transaction of the
# first file it lands, so a test can kill the process mid-file (tests/test_ingest_atomic.py).
PAUSE_HOOK_ENV = "FANZHA_TEST_PAUSE_IN_FILE"
# Values later than now + this are "in the future" (exports are stamped in local time; the host may run UTC).
FUTURE_TOLERANCE = timedelta(days=1)
TEMP_TABLES = ("_raw_cells", "_parsed")


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


def _log(conn: duckdb.DuckDBPyConnection, out: FileOutcome, started: datetime) -> None:
    conn.execute(
        "INSERT INTO main.ingest_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [out.file_id, out.file_name, out.file_path, out.sha256, out.feed, out.format, out.encoding,
         out.header_language, out.rows_read, out.rows_landed, out.rows_quarantined, out.rows_duplicate,
         out.status, out.message, started, datetime.now()],
    )


def _count(conn: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _read(conn: duckdb.DuckDBPyConnection, path: Path, sniffed: Sniffed) -> RawFile:
    if sniffed.format == "xlsx":
        return read_xlsx_file(conn, path)
    assert sniffed.encoding is not None
    return read_csv_file(conn, path, sniffed.encoding)


def _land(conn: duckdb.DuckDBPyConnection, out: FileOutcome, raw: RawFile, started: datetime) -> None:
    """Stage the file in TEMP tables, then write it in one transaction."""
    feed = raw.header.feed
    district = reference.file_district(conn, out.file_name)
    ctx = stage.StageContext(
        file_id=out.file_id,
        file_name=out.file_name,
        district_code=district,
        future_limit=datetime.now() + FUTURE_TOLERANCE,
        loaded_at=started,
    )
    reference.install_file_names(conn, district)
    conn.execute(stage.parsed_sql(feed, raw.header.column_keys, ctx))
    out.rows_read = _count(conn, "SELECT count(*) FROM _parsed")
    candidates, keys = conn.execute(
        f"SELECT count(*), count(DISTINCT {feed.key}) FROM _parsed WHERE _ok").fetchone() or (0, 0)
    conn.execute("BEGIN TRANSACTION")
    try:
        out.rows_quarantined = _count(conn, stage.quarantine_insert_sql(feed, ctx))
        out.rows_landed = _count(conn, stage.landing_insert_sql(feed, ctx, keys_unique=keys == candidates))
        out.rows_duplicate = candidates - out.rows_landed
        if not out.reconciles:  # a bug, never a user mistake: refuse to commit
            raise AssertionError(f"accounting does not reconcile for {out.file_name}: {out}")
        out.status = LANDED
        _log(conn, out, started)
        marker = os.environ.get(PAUSE_HOOK_ENV)
        if marker:
            Path(marker).write_text(out.file_name, encoding="utf-8")
            time.sleep(3600)
        conn.execute("COMMIT")
    except BaseException:
        out.status = REJECTED
        conn.execute("ROLLBACK")
        raise


def ingest_file(conn: duckdb.DuckDBPyConnection, path: Path, file_id: int) -> FileOutcome:
    started = datetime.now()
    out = FileOutcome(file_id=file_id, file_name=path.name, file_path=str(path), status=REJECTED)
    try:
        sniffed = sniff(path)
        out.sha256, out.format, out.encoding = sniffed.sha256, sniffed.format, sniffed.encoding
        previous = landing.landed_file(conn, sniffed.sha256)
        if previous:
            out.status = SKIPPED
            out.message = f"same content as file #{previous[0]} ({previous[1]}), already landed: nothing to do"
        else:
            raw = _read(conn, path, sniffed)
            out.feed, out.header_language = raw.header.feed.name, raw.header.header_language
            notes = []
            if raw.header.row_index:
                notes.append(f"header found on row {raw.header.row_index + 1}")
            if raw.header.ignored_headers:
                notes.append(f"columns not kept: {', '.join(raw.header.ignored_headers)}")
            out.message = "; ".join(notes)
            _land(conn, out, raw, started)
            return out
    except (UnreadableFile, NoFeedMatched) as err:
        out.message = f"{path.name}: {err}"
    except duckdb.Error as err:  # rolled back; DuckDB's text may quote cell values, so only its kind is kept
        out.rows_read = out.rows_landed = out.rows_quarantined = out.rows_duplicate = 0
        out.message = f"{path.name}: DuckDB could not land the file ({type(err).__name__}); nothing of it was written"
    except OSError as err:
        out.message = f"{path.name}: cannot read the file ({err.strerror or type(err).__name__})"
    finally:
        for table in TEMP_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    conn.execute("BEGIN TRANSACTION")
    _log(conn, out, started)
    conn.execute("COMMIT")
    return out


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


def _land_batch(conn: duckdb.DuckDBPyConnection, files: list[Path], first_id: int, bar: Any) -> list[FileOutcome]:
    """Stage files from the front of `files` until the batch is full; land the batch in one transaction, or,
    when DuckDB fails on it, its files one by one (only a bad file is rejected)."""
    work = batch.Batch(started=datetime.now(), landed_sha=landing.landed_files(conn),
                       district_of=reference.district_finder(conn))
    taken: list[Path] = []
    try:
        for path in files:
            taken.append(path)
            batch.stage_file(conn, work, path, first_id + len(taken) - 1, _read)
            bar.update(1)
            if work.full():
                break
        batch.commit_batch(conn, work, datetime.now() + FUTURE_TOLERANCE, PAUSE_HOOK_ENV)
    except duckdb.Error:
        batch.drop_tables(conn, work)
        return [ingest_file(conn, path, first_id + i) for i, path in enumerate(taken)]
    return work.outcomes


def ingest_paths(home: DataHome, paths: list[Path], *, archive_inbox: bool, quiet: bool) -> IngestReport:
    """Land the export files found at `paths` (files or folders) into `home.landing`.

    Files are processed in export order, in batches (batch.py); each batch lands whole or not at all. With
    `archive_inbox`, files taken from `home.inbox` move to `home.archive/YYYY-MM-DD/` once their batch has landed
    (or found already landed).
    """
    files = discover(paths)
    key = load_key(home)
    conn = connect_landing(home)
    report = IngestReport()
    inbox = home.inbox.resolve()
    try:
        install_macros(conn)
        install_hmac_macro(conn, key)
        reference.install_reference(conn)
        from tqdm import tqdm

        with tqdm(total=len(files), desc="ingest", unit="file", file=sys.stderr, disable=quiet or not files) as bar:
            done = 0
            while done < len(files):
                outcomes = _land_batch(conn, files[done:], landing.next_file_id(conn), bar)
                for path, outcome in zip(files[done:done + len(outcomes)], outcomes, strict=True):
                    if archive_inbox and outcome.status in (LANDED, SKIPPED) and path.is_relative_to(inbox):
                        outcome.archived_to = str(_archive(home, path))
                    report.files.append(outcome)
                done += len(outcomes)
    finally:
        conn.close()
    return report
