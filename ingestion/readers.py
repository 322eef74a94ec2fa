"""Readers: put a file's cells, as text, into the TEMP table `_raw_cells(_row_number, c0, c1, …)`.

`_row_number` is the 1-based data row: the first row after the header row is 1 (docs/contracts.md §3).
The header row is found by searching the first rows (title rows above it are skipped).

- CSV: DuckDB's read_csv parses the whole file (every column VARCHAR, strict column count); GB18030/GBK files are
  first transcoded to a temporary UTF-8 file (encoding.py). Python only reads the first rows to find the header.
  DuckDB skips blank lines, so they are not data rows.
- XLSX: python-calamine (Rust) reads the first sheet; cells are turned into text column-wise by pandas in chunks
  and appended to DuckDB through Arrow. Whole-number floats (Excel stores every number as a float) lose their
  `.0` in SQL, and Excel serial dates stay numbers for fz_ts to read.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.encoding import UnreadableFile, read_text_head, transcode_to_utf8
from ingestion.headers import MAX_HEADER_SEARCH_ROWS, HeaderMatch, describe_headers, find_header

XLSX_CHUNK_ROWS = 50_000


class NoFeedMatched(Exception):
    """No row near the top of the file is the header row of a known feed."""

    def __init__(self, headers: list[str]) -> None:
        super().__init__(f"no feed matches the header row; headers found: {headers}")
        self.headers = headers


@dataclass(frozen=True)
class RawFile:
    header: HeaderMatch
    width: int  # number of header cells (c0 … c{width-1})


def _csv_head_rows(text: str) -> tuple[list[list[str]], list[int]]:
    """The first rows of a CSV and, per row, how many physical lines precede it."""
    reader = csv.reader(io.StringIO(text))
    rows: list[list[str]] = []
    lines_before: list[int] = []
    try:
        while len(rows) < MAX_HEADER_SEARCH_ROWS:
            before = reader.line_num
            row = next(reader)
            if not row:  # blank line: DuckDB skips it too
                continue
            rows.append(row)
            lines_before.append(before)
    except (StopIteration, csv.Error):
        pass
    return rows, lines_before


def _duckdb_csv_error(err: duckdb.Error) -> str:
    """DuckDB's CSV error without the offending line's content (it may hold personal data)."""
    text = str(err)
    line = re.search(r"[Ll]ine:? (\d+)", text)
    expected = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    where = f"CSV line {line.group(1)}" if line else "the CSV"
    if expected:
        return f"{where}: expected {expected.group(1)} columns, found {expected.group(2)}"
    first = text.splitlines()[0] if text else "unreadable"
    first = re.sub(r"Original Line:.*", "", first)
    return f"{where}: {first[:200]}"


def read_csv_file(conn: duckdb.DuckDBPyConnection, path: Path, encoding: str) -> RawFile:
    rows, lines_before = _csv_head_rows(read_text_head(path, encoding))
    header = find_header(rows)
    if header is None:
        raise NoFeedMatched(describe_headers(rows))
    width = len(rows[header.row_index])
    skip = lines_before[header.row_index]
    with tempfile.TemporaryDirectory(prefix="fanzha-ingest-") as tmp:
        source = path
        if encoding == "gb18030":
            source = Path(tmp) / "utf8.csv"
            transcode_to_utf8(path, source, encoding)
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
        literal = str(source).replace("'", "''")
        try:
            conn.execute(f"""
                CREATE OR REPLACE TEMP TABLE _csv AS
                SELECT * FROM read_csv('{literal}', auto_detect = false, header = true, skip = {skip},
                    columns = {columns}, delim = ',', quote = '"', escape = '"', null_padding = true,
                    strict_mode = true, encoding = 'utf-8', max_line_size = 10000000)""")
        except duckdb.Error as err:
            raise UnreadableFile(_duckdb_csv_error(err)) from None
    cells = ", ".join(f"c{i}" for i in range(width))
    conn.execute(f"CREATE OR REPLACE TEMP TABLE _raw_cells AS SELECT CAST(rowid + 1 AS INTEGER) AS _row_number, "
                 f"{cells} FROM _csv")
    conn.execute("DROP TABLE _csv")
    return RawFile(header, width)


def read_xlsx_file(conn: duckdb.DuckDBPyConnection, path: Path) -> RawFile:
    import pandas as pd
    import pyarrow as pa
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows_iter = iter(sheet.iter_rows())
    except Exception as err:  # calamine raises its own error types for broken zips/XML
        raise UnreadableFile(f"not a readable XLSX workbook ({type(err).__name__})") from None
    head: list[list[object]] = []
    for row in rows_iter:
        head.append(list(row))
        if len(head) >= MAX_HEADER_SEARCH_ROWS:
            break
    header = find_header(head)
    if header is None:
        raise NoFeedMatched(describe_headers(head))
    width = len(head[header.row_index])
    names = [f"c{i}" for i in range(width)]
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE _raw_cells (_row_number INTEGER, "
        + ", ".join(f"{n} VARCHAR" for n in names) + ")"
    )

    def flush(chunk: list[list[object]], first_row_number: int) -> None:
        frame = pd.DataFrame([r[:width] + [""] * (width - len(r)) for r in chunk], columns=names, dtype=object)
        frame = frame.astype(str)
        frame.insert(0, "_row_number", range(first_row_number, first_row_number + len(frame)))
        arrow = pa.Table.from_pandas(frame, preserve_index=False)  # noqa: F841  (read by DuckDB by name)
        conn.execute("INSERT INTO _raw_cells SELECT * FROM arrow")

    chunk: list[list[object]] = [list(r) for r in head[header.row_index + 1:]]
    next_number = 1
    for row in rows_iter:
        chunk.append(row)
        if len(chunk) >= XLSX_CHUNK_ROWS:
            flush(chunk, next_number)
            next_number += len(chunk)
            chunk = []
    if chunk:
        flush(chunk, next_number)
    # Excel keeps every number as a float: 13812341234.0 -> 13812341234
    fixes = ", ".join(f"{n} = regexp_replace({n}, '^(-?\\d+)\\.0$', '\\1')" for n in names)
    conn.execute(f"UPDATE _raw_cells SET {fixes}")
    return RawFile(header, width)
