"""The CSV reader: put a file's cells, as text, into the TEMP table `_raw_cells(c0, c1, …, _cells)`, one row per
data row in file order, so `rowid + 1` is the 1-based data row number (the first row after the header row is 1,
contracts §3). The header row is found by searching the first rows (title rows above it are skipped).
Spreadsheets and HTML tables: workbooks.py.

DuckDB's read_csv parses the whole file (every column VARCHAR); GB18030/GBK files are first transcoded to a
temporary UTF-8 file (encoding.py). Python only reads the first rows to find the header. DuckDB skips blank lines,
so they are not data rows.

Ragged rows (a cell more or fewer than the header, e.g. an unescaped comma in free text) stay row-level: the file
is read with EXTRA_COLUMNS more columns than its header, short rows padded with NULL, and empty cells read as ''
(not NULL), so a row's cell count is its number of non-NULL columns. `_cells` is that count for a ragged row and
NULL for a row as wide as the header; stage.py quarantines ragged rows (`ragged_row`) and the rest land. Only a
file DuckDB cannot parse at all (or with a row of more than header + EXTRA_COLUMNS cells) is rejected whole.
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

from fanzha.core.sql import literal
from ingestion.encoding import CHUNK, UnreadableFile, copy_as_utf8, read_head
from ingestion.headers import MAX_HEADER_SEARCH_ROWS, HeaderMatch, describe_headers, find_header

EXTRA_COLUMNS = 16
_NO_NULL = "\x01fanzha-no-null\x01"  # never in a cell: empty cells read as '', only padding is NULL


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


def _duckdb_csv_error(err: duckdb.Error, width: int) -> str:
    """DuckDB's CSV error without the offending line's content (it may hold personal data)."""
    text = str(err)
    line = re.search(r"[Ll]ine:? (\d+)", text)
    expected = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    where = f"CSV line {line.group(1)}" if line else "the CSV"
    if expected:
        return (f"{where}: a row of more than {int(expected.group(1))} cells where the header has {width}; "
                "the file cannot be read as one table")
    if "unterminated quote" in text:
        return f"{where}: a quoted cell is never closed"
    # DuckDB's reason: the first line that is neither its heading nor the offending line (which may be several
    # lines long, so it is cut at the first blank line after it)
    body = re.sub(r"Original Line:.*?\n\n", "", text, flags=re.S)
    reasons = [ln.strip() for ln in body.splitlines()
               if ln.strip() and not re.match(r"(Invalid Input Error: )?CSV Error on Line", ln.strip())]
    return f"{where}: {(reasons[0] if reasons else 'unreadable')[:200]}"


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
                         + ", ".join(f"CAST(NULL AS VARCHAR) AS c{i}" for i in range(width))
                         + ", CAST(NULL AS INTEGER) AS _cells LIMIT 0")
        else:
            _read_csv_into_temp(conn, source, skip, width)
    return RawFile(header, width)


def _quotes_balanced(source: Path) -> bool:
    """An even number of double quotes (a byte never inside a UTF-8 multi-byte character)."""
    count = 0
    with source.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            count += chunk.count(b'"')
    return count % 2 == 0


def _read_csv_into_temp(conn: duckdb.DuckDBPyConnection, source: Path, skip: int, width: int) -> None:
    """TEMP TABLE _raw_cells(c0 …, _cells) from the records of `source` (UTF-8) after the first `skip`."""
    wide = width + EXTRA_COLUMNS
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(wide)) + "}"
    options = (f"auto_detect = false, header = false, skip = {skip}, columns = {columns}, delim = ',', "
               f"quote = '\"', escape = '\"', null_padding = true, strict_mode = true, nullstr = '{_NO_NULL}', "
               "encoding = 'utf-8', max_line_size = 10000000")
    # list_count counts the non-NULL cells (planned ~0.5 ms faster per file than a sum of casts)
    count = f"list_count([{', '.join(f'c{i}' for i in range(wide))}])"
    cells = (f"CASE WHEN c{width - 1} IS NOT NULL AND c{width} IS NULL THEN NULL ELSE {count} END AS _cells")
    select = f"SELECT {', '.join(f'c{i}' for i in range(width))}, {cells} FROM read_csv({literal(source)}, {options}"
    try:
        try:
            conn.execute(f"CREATE OR REPLACE TEMP TABLE _raw_cells AS {select})")
        except duckdb.Error as err:
            if "parallel scanner does not support null_padding" not in str(err):
                raise
            # quoted line breaks inside data cells: DuckDB reads such files single-threaded, and then passes
            # over an unclosed quote without a word, so that is checked first
            if not _quotes_balanced(source):
                raise UnreadableFile("a quoted cell is never closed (an odd number of \" characters)") from None
            conn.execute(f"CREATE OR REPLACE TEMP TABLE _raw_cells AS {select}, parallel = false)")
    except duckdb.Error as err:
        raise UnreadableFile(_duckdb_csv_error(err, width)) from None
