"""Land export files in batches: the SQL that parses, validates and pseudonymises runs once per batch and feed,
not once per file, so ingestion costs what its rows cost rather than a fixed price per file.

A batch is up to MAX_FILES files (or about MAX_ROWS rows) in export order. Each file is hashed, sniffed and read
on its own (readers.py, into `_raw_cells`); its cells are appended to the feed's TEMP table `_batch_<feed>` with
its `_file_id`, `_row_number`, `_file_name` and `_district`, one text column per feed column (NULL when the file
lacks it) and `_extra`, the file's other cells joined (they still make a row non-blank). A file already landed
(or twice in the batch), unreadable or matching no feed is settled at read time and never staged.
Then ONE transaction writes, per feed, the quarantine and the new record versions (deduplicated against the
landing table and within the batch: the earlier `_file_id` lands), and every file's ingest-log row with its
counts (GROUP BY `_file_id`), checks the accounting invariant per file and commits: the batch lands whole or not
at all. When DuckDB fails on a batch, nothing of it was written and its files are landed one by one instead
(ingest.ingest_file), so only the bad file is rejected.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion import reference, stage
from ingestion.encoding import Sniffed, UnreadableFile, sniff
from ingestion.feeds import Feed
from ingestion.readers import NoFeedMatched, RawFile
from ingestion.report import LANDED, REJECTED, SKIPPED, FileOutcome

MAX_FILES = 200
MAX_ROWS = 500_000


@dataclass
class Batch:
    started: datetime
    landed_sha: dict[str, tuple[int, str]]  # the ledger's landed files by content
    district_of: Callable[[str], str]  # file name -> district code
    outcomes: list[FileOutcome] = field(default_factory=list)
    feeds: dict[str, Feed] = field(default_factory=dict)  # feeds with staged files
    staged_sha: dict[str, FileOutcome] = field(default_factory=dict)
    rows: int = 0

    def full(self) -> bool:
        return len(self.outcomes) >= MAX_FILES or self.rows >= MAX_ROWS


def _table(feed: Feed) -> str:
    return f"_batch_{feed.name}"


def _stage_file(conn: duckdb.DuckDBPyConnection, batch: Batch, out: FileOutcome, raw: RawFile) -> None:
    """Append `_raw_cells` to the feed's batch table; `rows` grows by the file's data rows."""
    feed = raw.header.feed
    if feed.name not in batch.feeds:
        columns = ", ".join(f"{c.key} VARCHAR" for c in feed.columns)
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {_table(feed)} (_file_id BIGINT, _row_number INTEGER, "
                     f"_file_name VARCHAR, _district VARCHAR, {columns}, _extra VARCHAR)")
        batch.feeds[feed.name] = feed
    keys = raw.header.column_keys
    position = {key: i for i, key in enumerate(keys) if key}
    cells = ", ".join(f"c{position[c.key]}" if c.key in position else "NULL" for c in feed.columns)
    others = [f"c{i}" for i in range(len(keys)) if i not in position.values()]
    extra = f"concat({', '.join(others)})" if others else "NULL"
    district = batch.district_of(out.file_name)
    row = conn.execute(
        f"INSERT INTO {_table(feed)} SELECT ?, CAST(rowid + 1 AS INTEGER), ?, ?, {cells}, {extra} FROM _raw_cells",
        [out.file_id, out.file_name, district],
    ).fetchone()
    batch.rows += int(row[0]) if row else 0


def stage_file(conn: duckdb.DuckDBPyConnection, batch: Batch, path: Path, file_id: int,
               read: Callable[[duckdb.DuckDBPyConnection, Path, Sniffed], RawFile]) -> FileOutcome:
    """Hash, sniff and read one file; stage it, or settle it now (skipped or rejected: nothing to parse)."""
    out = FileOutcome(file_id=file_id, file_name=path.name, file_path=str(path), status=REJECTED)
    batch.outcomes.append(out)
    try:
        sniffed = sniff(path)
        out.sha256, out.format, out.encoding = sniffed.sha256, sniffed.format, sniffed.encoding
        previous = batch.landed_sha.get(sniffed.sha256)
        earlier = batch.staged_sha.get(sniffed.sha256)
        if previous or earlier:
            fid, name = previous or (earlier.file_id, earlier.file_name)  # type: ignore[union-attr]
            out.status = SKIPPED
            out.message = f"same content as file #{fid} ({name}), already landed: nothing to do"
            return out
        raw = read(conn, path, sniffed)
        out.feed, out.header_language = raw.header.feed.name, raw.header.header_language
        notes = []
        if raw.header.row_index:
            notes.append(f"header found on row {raw.header.row_index + 1}")
        if raw.header.ignored_headers:
            notes.append(f"columns not kept: {', '.join(raw.header.ignored_headers)}")
        out.message = "; ".join(notes)
        _stage_file(conn, batch, out, raw)
        out.status = LANDED  # provisional: the batch's commit makes it so
        batch.staged_sha[sniffed.sha256] = out
    except (UnreadableFile, NoFeedMatched) as err:
        out.message = f"{path.name}: {err}"
    except duckdb.Error as err:  # DuckDB's text may quote cell values, so only its kind is kept
        out.message = f"{path.name}: DuckDB could not land the file ({type(err).__name__}); nothing of it was written"
    except OSError as err:
        out.message = f"{path.name}: cannot read the file ({err.strerror or type(err).__name__})"
    return out


def batch_rows_sql(feed: Feed) -> str:
    """The batch's cleaned rows, as stage.rows_sql makes them for one file, with the lineage columns."""
    names = [c.key for c in feed.columns] + ["_extra"]
    every = ", ".join(names)
    cleaned = ", ".join(
        f"fz_trim(CASE WHEN _fw AND fz_has_fw({n}) THEN fz_hw_all({n}) ELSE {n} END) AS {n}" for n in names
    )
    any_cell = " OR ".join(f"{n} IS NOT NULL" for n in names)
    return f"""SELECT _file_id, _file_name, _district, _row_number, {', '.join(c.key for c in feed.columns)}
        FROM (
            SELECT _file_id, _file_name, _district, _row_number, {cleaned}
            FROM (SELECT *, fz_has_fw(concat({every})) AS _fw FROM {_table(feed)})
        )
        WHERE {any_cell}"""


def _per_file(conn: duckdb.DuckDBPyConnection, sql: str) -> dict[int, int]:
    return {int(fid): int(n) for fid, n in conn.execute(sql).fetchall()}


def _parse_feed(conn: duckdb.DuckDBPyConnection, feed: Feed, ctx: stage.StageContext) -> tuple[dict, dict, bool]:
    """Parse the feed's staged rows once, into the TEMP table `ctx.parsed`, before the batch's transaction (a
    table created inside the transaction is scanned far more slowly by the inserts that follow).
    Returns rows read and rows that may land per file id, and whether the business keys are distinct."""
    conn.execute(stage.parsed_sql(feed, (), ctx, rows=batch_rows_sql(feed)))
    counts = conn.execute(
        f"SELECT _file_id, count(*), count(*) FILTER (_ok) FROM {ctx.parsed} GROUP BY _file_id").fetchall()
    read = {int(f): int(n) for f, n, _ in counts}
    candidates = {int(f): int(ok) for f, _, ok in counts}
    distinct = conn.execute(f"SELECT count(DISTINCT {feed.key}) FROM {ctx.parsed} WHERE _ok").fetchone()
    return read, candidates, (int(distinct[0]) if distinct else 0) == sum(candidates.values())


def _land_feed(conn: duckdb.DuckDBPyConnection, feed: Feed, ctx: stage.StageContext, staged: list[FileOutcome],
               parsed: tuple[dict, dict, bool]) -> None:
    """Write quarantine and new versions of the parsed rows; fill the files' counts (inside the transaction)."""
    read, candidates, keys_unique = parsed
    conn.execute(stage.quarantine_insert_sql(feed, ctx))
    conn.execute(stage.landing_insert_sql(feed, ctx, keys_unique=keys_unique))
    ids = [o.file_id for o in staged]
    span = f"BETWEEN {min(ids)} AND {max(ids)}"
    # what was written, counted where it was written: the invariant then checks the writes against the parse
    landed = _per_file(conn, f"SELECT _file_id, count(*) FROM main.{feed.name} WHERE _file_id {span} GROUP BY 1")
    quarantined = _per_file(conn, f"SELECT _file_id, count(*) FROM main.quarantine WHERE _file_id {span} "
                                  f"AND feed = '{feed.name}' GROUP BY 1")
    for out in staged:
        out.rows_read = read.get(out.file_id, 0)
        out.rows_quarantined = quarantined.get(out.file_id, 0)
        out.rows_landed = landed.get(out.file_id, 0)
        out.rows_duplicate = candidates.get(out.file_id, 0) - out.rows_landed
        if not out.reconciles or out.rows_duplicate < 0:  # a bug, never a user mistake: refuse to commit
            raise AssertionError(f"accounting does not reconcile for {out.file_name}: {out}")


def _insert_log(conn: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    """Every file's ingest-log row, in one statement."""
    now = datetime.now()
    values = [[o.file_id, o.file_name, o.file_path, o.sha256, o.feed, o.format, o.encoding, o.header_language,
               o.rows_read, o.rows_landed, o.rows_quarantined, o.rows_duplicate, o.status, o.message,
               batch.started, now] for o in batch.outcomes]
    row = "(" + ", ".join(["?"] * len(values[0])) + ")"
    conn.execute(f"INSERT INTO main.ingest_log VALUES {', '.join([row] * len(values))}",
                 [v for r in values for v in r])


def commit_batch(conn: duckdb.DuckDBPyConnection, batch: Batch, future_limit: datetime, pause_env: str) -> None:
    """Write the whole batch in one transaction (see the module doc); raises duckdb.Error after a rollback."""
    ctx = stage.StageContext(file_id=None, file_name=None, district_code=None, future_limit=future_limit,
                             loaded_at=batch.started)
    try:
        reference.install_all_names(conn)
        contexts = {name: replace(ctx, parsed=f"_parsed_{name}") for name in batch.feeds}
        parsed = {name: _parse_feed(conn, feed, contexts[name]) for name, feed in batch.feeds.items()}
    except BaseException:
        drop_tables(conn, batch)
        raise
    conn.execute("BEGIN TRANSACTION")
    try:
        for name, feed in batch.feeds.items():
            staged = [o for o in batch.outcomes if o.status == LANDED and o.feed == name]
            _land_feed(conn, feed, contexts[name], staged, parsed[name])
        _insert_log(conn, batch)
        marker = os.environ.get(pause_env)
        if marker:
            Path(marker).write_text(batch.outcomes[0].file_name, encoding="utf-8")
            time.sleep(3600)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        drop_tables(conn, batch)


def drop_tables(conn: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    for feed in batch.feeds.values():
        conn.execute(f"DROP TABLE IF EXISTS temp.{_table(feed)}")
        conn.execute(f"DROP TABLE IF EXISTS temp._parsed_{feed.name}")
    conn.execute("DROP TABLE IF EXISTS temp._raw_cells")  # the last file's cells (each read replaces them)
