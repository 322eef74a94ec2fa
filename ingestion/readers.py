"""Readers: put a file's cells, as text, into the TEMP table `_raw_cells(c0, c1, …)`, one row per data row in file
order, so `rowid + 1` is the 1-based data row number (the first row after the header row is 1, contracts §3).
The header row is found by searching the first rows (title rows above it are skipped).

- CSV: DuckDB's read_csv parses the whole file (every column VARCHAR, strict column count); GB18030/GBK files are
  first transcoded to a temporary UTF-8 file (encoding.py). Python only reads the first rows to find the header.
  DuckDB skips blank lines, so they are not data rows.
- XLSX: python-calamine (Rust) reads the first sheet; cells are turned into text column-wise by pandas in chunks
  and appended to DuckDB through Arrow. Whole-number floats (Excel stores every number as a float) lose their
  `.0` in SQL, and Excel serial dates stay numbers for fz_ts to read.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.encoding import UnreadableFile, copy_as_utf8, read_head
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


@dataclass(frozen=True)
class _HeadRow:
    cells: list[str]
    records_through: int  # CSV records up to and including this row (blank lines count)
    lines_through: int  # physical lines up to and including this row


def _csv_head_rows(text: str) -> list[_HeadRow]:
    """The first non-blank rows of a CSV, with how many records and lines end with each."""
    reader = csv.reader(io.StringIO(text))
    rows: list[_HeadRow] = []
    records = 0
    try:
        while len(rows) < MAX_HEADER_SEARCH_ROWS:
            row = next(reader)
            records += 1
            if row:
                rows.append(_HeadRow(row, records, reader.line_num))
    except (StopIteration, csv.Error):
        pass
    return rows


def _byte_offset_after_lines(raw: bytes, lines: int) -> int:
    """Byte offset just after the `lines`-th newline (b"\n" never occurs inside a UTF-8 or GB18030 character)."""
    offset = 0
    for _ in range(lines):
        offset = raw.index(b"\n", offset) + 1
    return offset


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
    """DuckDB reads the data records after the header row. When everything up to the header is one line per
    record, `skip` does it; when a header cell spans lines (DuckDB's `skip` miscounts quoted line breaks right
    after a byte-order mark) or the file is GB18030, the data part is streamed to a temporary UTF-8 file."""
    raw_head, text_head = read_head(path, encoding)
    head = _csv_head_rows(text_head)
    header = find_header([r.cells for r in head])
    if header is None:
        raise NoFeedMatched(describe_headers([r.cells for r in head]))
    at = head[header.row_index]
    width = len(at.cells)
    with contextlib.ExitStack() as stack:  # a temporary folder only when the data part must be copied
        source, skip = path, at.records_through
        if encoding == "gb18030" or at.records_through != at.lines_through:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="fanzha-ingest-"))
            source, skip = Path(tmp) / "data.csv", 0
            try:
                start = _byte_offset_after_lines(raw_head, at.lines_through)
            except ValueError:  # the header row is the file's last line: no data
                start = path.stat().st_size
            copy_as_utf8(path, source, encoding, start)
        if source.stat().st_size == 0:  # a header and no data
            conn.execute("CREATE OR REPLACE TEMP TABLE _raw_cells AS SELECT "
                         + ", ".join(f"CAST(NULL AS VARCHAR) AS c{i}" for i in range(width)) + " LIMIT 0")
        else:
            _read_csv_into_temp(conn, source, skip, width)
    return RawFile(header, width)


def _read_csv_into_temp(conn: duckdb.DuckDBPyConnection, source: Path, skip: int, width: int) -> None:
    """TEMP TABLE _raw_cells(c0 …) from the records of `source` (UTF-8) after the first `skip`; all VARCHAR."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    literal = str(source).replace("'", "''")
    options = (f"auto_detect = false, header = false, skip = {skip}, columns = {columns}, delim = ',', "
               "quote = '\"', escape = '\"', null_padding = true, strict_mode = true, encoding = 'utf-8', "
               "max_line_size = 10000000")
    try:
        try:
            conn.execute(f"CREATE OR REPLACE TEMP TABLE _raw_cells AS SELECT * FROM read_csv('{literal}', {options})")
        except duckdb.Error as err:
            if "parallel scanner does not support null_padding" not in str(err):
                raise
            # quoted line breaks inside data cells: DuckDB reads such files single-threaded
            conn.execute(f"CREATE OR REPLACE TEMP TABLE _raw_cells AS SELECT * FROM read_csv('{literal}', {options}, "
                         "parallel = false)")
    except duckdb.Error as err:
        raise UnreadableFile(_duckdb_csv_error(err)) from None


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
        "CREATE OR REPLACE TEMP TABLE _raw_cells (" + ", ".join(f"{n} VARCHAR" for n in names) + ")"
    )

    def flush(chunk: list[list[object]]) -> None:
        """Append rows in order (every row, empty ones too, so rowid + 1 stays the row number)."""
        frame = pd.DataFrame([r[:width] + [""] * (width - len(r)) for r in chunk], columns=names, dtype=object)
        frame = frame.astype(str)
        arrow = pa.Table.from_pandas(frame, preserve_index=False)  # noqa: F841  (read by DuckDB by name)
        conn.execute("INSERT INTO _raw_cells SELECT * FROM arrow")

    chunk: list[list[object]] = [list(r) for r in head[header.row_index + 1:]]
    for row in rows_iter:
        chunk.append(row)
        if len(chunk) >= XLSX_CHUNK_ROWS:
            flush(chunk)
            chunk = []
    if chunk:
        flush(chunk)
    # Excel keeps every number as a float: 13812341234.0 -> 13812341234
    fixes = ", ".join(f"{n} = regexp_replace({n}, '^(-?\\d+)\\.0$', '\\1')" for n in names)
    conn.execute(f"UPDATE _raw_cells SET {fixes}")
    return RawFile(header, width)
