"""Readers of spreadsheet-like exports: XLSX and legacy XLS (BIFF, Excel 97–2003) through python-calamine, and
web systems' "导出Excel" (an HTML `<table>`, often saved under a .xls name) through lxml's HTML parser.

Like the CSV reader (readers.py) they fill the TEMP table `_raw_cells(c0, c1, …, _cells)` with every cell as text,
one row per data row in file order (`rowid + 1` is the data row number); the header row is searched among the
first rows, so title rows above it are skipped. Rows cannot be ragged here (`_cells` is NULL): cells beyond the
header's width are not kept, missing cells are empty.

- XLSX/XLS: the first sheet; cells are turned into text column-wise by pandas in chunks and appended to DuckDB
  through Arrow. Whole-number floats (Excel stores every number as a float) lose their `.0` in SQL, and Excel
  serial dates stay numbers for fz_ts to read.
- HTML: the first table whose first rows hold a feed's header row (else the first table, for the message); a
  cell's text is its text content with whitespace runs collapsed (HTML does not keep them); `colspan` cells
  take their columns (the text in the first, the rest empty), so later cells stay under their headers.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.encoding import UnreadableFile
from ingestion.headers import MAX_HEADER_SEARCH_ROWS, HeaderMatch, describe_headers, find_header
from ingestion.readers import NoFeedMatched, RawFile

CHUNK_ROWS = 50_000
FORMAT_NAMES = {"xlsx": "XLSX", "xls": "XLS (Excel 97–2003)"}


def _load(conn: duckdb.DuckDBPyConnection, head: list[list[object]], rest: object) -> RawFile:
    """Find the header among `head` (the first rows), then write the rows after it and `rest` (an iterator of
    further rows) into `_raw_cells`."""
    import pandas as pd
    import pyarrow as pa

    header: HeaderMatch | None = find_header(head)
    if header is None:
        raise NoFeedMatched(describe_headers(head))
    width = len(head[header.row_index])
    names = [f"c{i}" for i in range(width)]
    conn.execute("CREATE OR REPLACE TEMP TABLE _raw_cells (" + ", ".join(f"{n} VARCHAR" for n in names)
                 + ", _cells INTEGER)")

    def flush(chunk: list[list[object]]) -> None:
        """Append rows in order (every row, empty ones too, so rowid + 1 stays the row number)."""
        frame = pd.DataFrame([r[:width] + [""] * (width - len(r)) for r in chunk], columns=names, dtype=object)
        frame = frame.astype(str)
        arrow = pa.Table.from_pandas(frame, preserve_index=False)  # noqa: F841  (read by DuckDB by name)
        conn.execute("INSERT INTO _raw_cells SELECT *, NULL FROM arrow")

    chunk: list[list[object]] = [list(r) for r in head[header.row_index + 1:]]
    for row in rest:  # type: ignore[attr-defined]
        chunk.append(list(row))
        if len(chunk) >= CHUNK_ROWS:
            flush(chunk)
            chunk = []
    if chunk:
        flush(chunk)
    # Excel keeps every number as a float: 13812341234.0 -> 13812341234
    fixes = ", ".join(f"{n} = regexp_replace({n}, '^(-?\\d+)\\.0$', '\\1')" for n in names)
    conn.execute(f"UPDATE _raw_cells SET {fixes}")
    return RawFile(header, width)


def read_workbook_file(conn: duckdb.DuckDBPyConnection, path: Path, fmt: str) -> RawFile:
    """An XLSX or XLS workbook's first sheet (calamine tells the two apart by their bytes)."""
    import python_calamine

    try:
        with path.open("rb") as fh:
            sheet = python_calamine.CalamineWorkbook.from_filelike(fh).get_sheet_by_index(0)
        rows = iter(sheet.iter_rows())
    except Exception as err:  # calamine raises its own error types for broken zips/XML/BIFF
        raise UnreadableFile(f"not a readable {FORMAT_NAMES[fmt]} workbook ({type(err).__name__})") from None
    head: list[list[object]] = []
    for row in rows:
        head.append(list(row))
        if len(head) >= MAX_HEADER_SEARCH_ROWS:
            break
    return _load(conn, head, rows)


def _html_rows(table: object) -> list[list[str]]:
    rows = []
    for tr in table.iter("tr"):  # type: ignore[attr-defined]
        cells: list[str] = []
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            cells.append(" ".join(cell.text_content().split()))
            span = cell.get("colspan", "1")
            cells.extend([""] * (int(span) - 1 if span.isdigit() and 1 < int(span) <= 1000 else 0))
        rows.append(cells)
    return rows


def html_export_rows(path: Path, encoding: str) -> list[list[str]]:
    """The rows of an HTML export's table: the first table holding a feed's header row (else the first)."""
    import lxml.etree
    import lxml.html

    text = path.read_bytes().decode("utf-8-sig" if encoding.startswith("utf-8") else encoding)
    try:
        document = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as err:
        raise UnreadableFile(f"not a readable HTML table ({type(err).__name__})") from None
    tables = [_html_rows(t) for t in document.iter("table")]
    if not tables:
        raise UnreadableFile("an HTML page without a table, not an export")
    return next((rows for rows in tables if find_header(rows[:MAX_HEADER_SEARCH_ROWS])), tables[0])


def read_html_file(conn: duckdb.DuckDBPyConnection, path: Path, encoding: str) -> RawFile:
    """An HTML export (html_export_rows) into `_raw_cells`."""
    rows = html_export_rows(path, encoding)
    return _load(conn, rows[:MAX_HEADER_SEARCH_ROWS], iter(rows[MAX_HEADER_SEARCH_ROWS:]))
