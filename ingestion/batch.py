"""Land export files in batches, the one landing path: the SQL that parses, validates and pseudonymises runs once
per batch and feed, not once per file, so ingestion costs what its rows cost rather than a fixed price per file.

A batch is up to MAX_FILES files (or about MAX_ROWS rows) in export order. Each file is hashed, sniffed and read
on its own (readers.py, into `_raw_cells`); its cells are appended to the feed's TEMP table `_batch_<feed>` with
its `_file_id`, `_row_number`, `_file_name` and `_district`, one text column per feed column (NULL when the file
lacks it) and `_extra`, the file's other cells joined (they still make a row non-blank). A file already landed
(or twice in the batch), unreadable or matching no feed is settled at read time and never staged.
Then ONE transaction writes, per feed, the quarantine and the new record versions (deduplicated against the
landing table and within the batch: the earlier `_file_id` lands), and every file's ingest-log row with its
counts (GROUP BY `_file_id`), checks the accounting invariant per file and commits: the batch lands whole or not
at all. When DuckDB fails on a batch, nothing of it was written; ingest.py then lands its files again as batches
of one, so only a bad file is rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion import stage
from ingestion.discover import EXPORT_SUFFIXES, NOT_AN_EXPORT
from ingestion.encoding import Sniffed, UnreadableFile, sniff
from ingestion.feeds import Feed
from ingestion.readers import NoFeedMatched, RawFile
from ingestion.report import LANDED, REJECTED, SKIPPED, FileOutcome

# Each batch plans its parse, quarantine and landing statements once per feed: DuckDB spends 20–60 ms planning
# one of them (the macros expand to large expressions), so larger batches cost less. Scale 10 (1,430 files):
# 200 files a batch 18.0 s, 1,000 14.0 s; MAX_ROWS bounds the memory a batch holds.
MAX_FILES = 1000
MAX_ROWS = 500_000

# Called inside a batch's open transaction, after every write and before COMMIT, with the batch's outcomes.
BeforeCommit = Callable[[list[FileOutcome]], None]
Reader = Callable[[duckdb.DuckDBPyConnection, Path, Sniffed], RawFile]


@dataclass
class Batch:
    started: datetime
    landed_sha: dict[str, tuple[int, str]]  # the ledger's landed files by content
    district_of: Callable[[str], str]  # file name -> district code
    max_files: int = MAX_FILES
    outcomes: list[FileOutcome] = field(default_factory=list)
    feeds: dict[str, Feed] = field(default_factory=dict)  # feeds with staged files
    staged_sha: dict[str, FileOutcome] = field(default_factory=dict)
    rows: int = 0

    def full(self) -> bool:
        return len(self.outcomes) >= self.max_files or self.rows >= MAX_ROWS


def _table(feed: Feed) -> str:
    return f"_batch_{feed.name}"


def _stage_file(conn: duckdb.DuckDBPyConnection, batch: Batch, out: FileOutcome, raw: RawFile) -> None:
    """Append `_raw_cells` to the feed's batch table; `rows` grows by the file's data rows."""
    feed = raw.header.feed
    if feed.name not in batch.feeds:
        columns = ", ".join(f"{c.key} VARCHAR" for c in feed.columns)
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {_table(feed)} (_file_id BIGINT, _row_number INTEGER, "
                     f"_file_name VARCHAR, _district VARCHAR, {columns}, _extra VARCHAR, _ragged VARCHAR)")
        batch.feeds[feed.name] = feed
    keys = raw.header.column_keys
    position = {key: i for i, key in enumerate(keys) if key}
    cells = ", ".join(f"c{position[c.key]}" if c.key in position else "NULL" for c in feed.columns)
    others = [f"c{i}" for i in range(len(keys)) if i not in position.values()]
    extra = f"concat({', '.join(others)})" if others else "NULL"
    district = batch.district_of(Path(out.file_path).name)
    ragged = (f"CASE WHEN _cells IS NOT NULL THEN '第 ' || (rowid + 1) || ' 行有 ' || _cells || ' 个单元格, 表头有 "
              f"{raw.width} 个 (ragged row: ' || _cells || ' cells, the header has {raw.width})' END")
    row = conn.execute(
        f"INSERT INTO {_table(feed)} SELECT ?, CAST(rowid + 1 AS INTEGER), ?, ?, {cells}, {extra}, {ragged} "
        "FROM _raw_cells",
        [out.file_id, out.file_name, district],
    ).fetchone()
    batch.rows += int(row[0]) if row else 0


def stage_file(conn: duckdb.DuckDBPyConnection, batch: Batch, path: Path, file_id: int, read: Reader) -> FileOutcome:
    """Hash, sniff and read one file; stage it, or settle it now (skipped or rejected: nothing to parse)."""
    out = FileOutcome(file_id=file_id, file_name=path.name, file_path=str(path), status=REJECTED).mask()
    batch.outcomes.append(out)
    try:
        if path.suffix.lower() not in EXPORT_SUFFIXES:
            raise UnreadableFile(NOT_AN_EXPORT)
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
        out.message = f"{out.file_name}: {err}"
    except duckdb.Error as err:  # DuckDB's text may quote cell values, so only its kind is kept
        out.message = duckdb_failure(out, err)
    except OSError as err:
        out.message = f"{out.file_name}: cannot read the file ({err.strerror or type(err).__name__})"
    return out


def duckdb_failure(out: FileOutcome, err: duckdb.Error) -> str:
    return f"{out.file_name}: DuckDB could not land the file ({type(err).__name__}); nothing of it was written"


def _per_file(conn: duckdb.DuckDBPyConnection, sql: str) -> dict[int, int]:
    return {int(fid): int(n) for fid, n in conn.execute(sql).fetchall()}


def _parse_feed(conn: duckdb.DuckDBPyConnection, feed: Feed, ctx: stage.StageContext) -> tuple[dict, dict, bool]:
    """Parse the feed's staged rows once, into the TEMP table `ctx.parsed`, before the batch's transaction (a
    table created inside the transaction is scanned far more slowly by the inserts that follow).
    Returns rows read and rows that may land per file id, and whether the business keys are distinct."""
    conn.execute(stage.parsed_sql(feed, ctx, stage.rows_sql(feed, _table(feed))))
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
    ids = [o.file_id for o in staged if o.file_id is not None]
    span = f"BETWEEN {min(ids)} AND {max(ids)}"
    # what was written, counted where it was written: the invariant then checks the writes against the parse
    landed = _per_file(conn, f"SELECT _file_id, count(*) FROM main.{feed.name} WHERE _file_id {span} GROUP BY 1")
    quarantined = _per_file(conn, f"SELECT _file_id, count(*) FROM main.quarantine WHERE _file_id {span} "
                                  f"AND feed = '{feed.name}' GROUP BY 1")
    for out in staged:
        fid = out.file_id or 0
        out.rows_read = read.get(fid, 0)
        out.rows_quarantined = quarantined.get(fid, 0)
        out.rows_landed = landed.get(fid, 0)
        out.rows_duplicate = candidates.get(fid, 0) - out.rows_landed
        if not out.reconciles or out.rows_duplicate < 0:  # a bug, never a user mistake: refuse to commit
            raise AssertionError(f"accounting does not reconcile for {out.file_name}: {out}")


def insert_log(conn: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome], started: datetime) -> None:
    """The files' ingest-log rows, in one statement."""
    now = datetime.now()
    values = [[o.mask().file_id, o.file_name, o.file_path, o.sha256, o.feed, o.format, o.encoding, o.header_language,
               o.rows_read, o.rows_landed, o.rows_quarantined, o.rows_duplicate, o.status, o.message,
               started, now] for o in outcomes]
    row = "(" + ", ".join(["?"] * len(values[0])) + ")"
    conn.execute(f"INSERT INTO main.ingest_log VALUES {', '.join([row] * len(values))}",
                 [v for r in values for v in r])


def commit_batch(conn: duckdb.DuckDBPyConnection, batch: Batch, future_limit: datetime,
                 before_commit: BeforeCommit | None = None) -> None:
    """Write the whole batch in one transaction (see the module doc); raises duckdb.Error after a rollback.
    `before_commit` runs inside the transaction once everything is written (tests pause there)."""
    contexts = {name: stage.StageContext(future_limit=future_limit, loaded_at=batch.started, parsed=f"_parsed_{name}")
                for name in batch.feeds}
    try:
        parsed = {name: _parse_feed(conn, feed, contexts[name]) for name, feed in batch.feeds.items()}
    except BaseException:
        drop_tables(conn, batch)
        raise
    conn.execute("BEGIN TRANSACTION")
    try:
        for name, feed in batch.feeds.items():
            staged = [o for o in batch.outcomes if o.status == LANDED and o.feed == name]
            _land_feed(conn, feed, contexts[name], staged, parsed[name])
        insert_log(conn, batch.outcomes, batch.started)
        if before_commit is not None:
            before_commit(batch.outcomes)
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
