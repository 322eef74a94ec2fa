"""Write one export file: CSV (UTF-8, UTF-8 with BOM, GBK), XLSX or legacy XLS (title rows, typed or text cells),
or an HTML table (a web system's "导出Excel")."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from tools.generate.feeds import FEEDS
from tools.generate.render import FileStyle

FIXED_CREATED = dt.datetime(2024, 7, 1, 8, 0, 0)
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def csv_lines(cells: pd.DataFrame) -> np.ndarray:
    """Each row as one CSV line (minimal quoting like the csv module), built column-wise."""
    if len(cells) == 0:
        return np.array([], dtype=object)
    line = None
    for col in cells.columns:
        s = cells[col].astype(object)
        joined = "".join(s.tolist())  # one C-level scan decides whether any cell needs quoting
        if any(ch in joined for ch in ',"\r\n'):
            special = s.str.contains(r'[,"\r\n]', regex=True)
            s = s.where(~special, '"' + s.str.replace('"', '""', regex=False) + '"')
        line = s if line is None else line + "," + s
    return line.to_numpy(object)


def write_csv(path: Path, header: list[str], lines: np.ndarray, style: FileStyle) -> None:
    newline = "\r\n" if style.encoding == "gbk" else "\n"
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerow(header)
    text = buf.getvalue() + newline.join(lines.tolist()) + (newline if len(lines) else "")
    path.write_bytes(text.encode(style.encoding))


class _Sheet:
    """What the sheet writer needs of a workbook library: xlsxwriter's worksheet methods."""

    def __init__(self, ws: object, dt_fmt: object, date_fmt: object, blank_fmt: object) -> None:
        self.ws, self.dt_fmt, self.date_fmt, self.blank_fmt = ws, dt_fmt, date_fmt, blank_fmt

    def number(self, r: int, c: int, value: float) -> None:
        self.ws.write_number(r, c, value)  # type: ignore[attr-defined]

    def datetime(self, r: int, c: int, value: dt.datetime, date_only: bool) -> None:
        self.ws.write_datetime(r, c, value, self.date_fmt if date_only else self.dt_fmt)  # type: ignore[attr-defined]

    def text(self, r: int, c: int, value: str) -> None:
        self.ws.write_string(r, c, value)  # type: ignore[attr-defined]

    def blank(self, r: int, c: int) -> None:
        self.ws.write_blank(r, c, None, self.blank_fmt)  # type: ignore[attr-defined]


class _XlwtSheet(_Sheet):
    """The same over xlwt (Excel 97–2003, BIFF8)."""

    def number(self, r: int, c: int, value: float) -> None:
        self.ws.write(r, c, value)  # type: ignore[attr-defined]

    def datetime(self, r: int, c: int, value: dt.datetime, date_only: bool) -> None:
        self.ws.write(r, c, value, self.date_fmt if date_only else self.dt_fmt)  # type: ignore[attr-defined]

    def text(self, r: int, c: int, value: str) -> None:
        self.ws.write(r, c, value)  # type: ignore[attr-defined]

    def blank(self, r: int, c: int) -> None:
        self.ws.write(r, c, "", self.blank_fmt)  # type: ignore[attr-defined]


def _typed_columns(cells: pd.DataFrame, style: FileStyle, feed: str) -> list[tuple | None]:
    """Per column: None (text cells) or ("number", values) / ("datetime", values, date_only), pre-parsed once."""
    kinds = [kind for _, _, kind in FEEDS[feed]]
    columns: list[tuple | None] = []
    for j, kind in enumerate(kinds):
        col = cells.iloc[:, j]
        if kind in ("datetime", "date") and style.date_cells != "text":
            fmt = style.datetime_format if kind == "datetime" else style.datetime_format.split(" ")[0]
            parsed = pd.to_datetime(col, format=fmt, errors="coerce")
            if style.date_cells == "serial":
                serial = ((parsed - _EXCEL_EPOCH) / pd.Timedelta(days=1)).round(6)
                columns.append(("number", serial.to_numpy(float)))
            else:
                columns.append(("datetime", parsed.dt.to_pydatetime() if len(parsed) else np.array([]), kind == "date"))
        elif kind in ("money", "int") and not style.numbers_as_text:
            plain = col.map(lambda s: bool(_PLAIN_NUMBER.fullmatch(s)))
            columns.append(("number", np.where(plain, pd.to_numeric(col.where(plain), errors="coerce"), np.nan)))
        else:
            columns.append(None)
    return columns


def _write_sheet(sheet: _Sheet, header: list[str], cells: pd.DataFrame, style: FileStyle, feed: str,
                 titles: list[str]) -> None:
    columns = _typed_columns(cells, style, feed)
    r = 0
    for title in titles:
        sheet.text(r, 0, title)
        r += 1
    for j, h in enumerate(header):
        sheet.text(r, j, h)
    r += 1
    values = cells.to_numpy(object)
    for i in range(len(values)):
        for j, text in enumerate(values[i]):
            typed = columns[j]
            if typed is not None:
                if typed[0] == "number" and not np.isnan(typed[1][i]):
                    sheet.number(r, j, float(typed[1][i]))
                    continue
                if typed[0] == "datetime" and not pd.isna(typed[1][i]):
                    sheet.datetime(r, j, typed[1][i], typed[2])
                    continue
            if text != "":
                sheet.text(r, j, text)
        r += 1
    for _ in range(style.trailing_empty):
        for j in range(len(header)):
            sheet.blank(r, j)
        r += 1


def write_xlsx(path: Path, header: list[str], cells: pd.DataFrame, style: FileStyle, feed: str, titles: list[str]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_urls": False, "strings_to_formulas": False})
    wb.set_properties({"title": titles[0] if titles else "", "author": "fanzha", "created": FIXED_CREATED})
    sheet = _Sheet(wb.add_worksheet("Sheet1"), wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
                   wb.add_format({"num_format": "yyyy-mm-dd"}), wb.add_format({"border": 0}))
    _write_sheet(sheet, header, cells, style, feed, titles)
    wb.close()


def write_xls(path: Path, header: list[str], cells: pd.DataFrame, style: FileStyle, feed: str, titles: list[str]) -> None:
    """Excel 97–2003 (BIFF8), as older government systems export, through xlwt (dev tooling: the only
    pure-Python BIFF writer; ingestion reads .xls with python-calamine)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    sheet = _XlwtSheet(wb.add_sheet("Sheet1"), xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss"),
                       xlwt.easyxf(num_format_str="yyyy-mm-dd"), xlwt.XFStyle())
    _write_sheet(sheet, header, cells, style, feed, titles)
    wb.save(str(path))


def write_html(path: Path, header: list[str], cells: pd.DataFrame, style: FileStyle, feed: str,
               titles: list[str]) -> None:
    """A web system's "导出Excel": an HTML table (title rows spanning the table, then the header row), every
    cell as text, in UTF-8 or GBK as its meta tag says."""
    width = len(header)
    rows = [f'<tr><td colspan="{width}">{html.escape(t)}</td></tr>' for t in titles]
    rows.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>")
    rows += ["<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
             for row in cells.to_numpy(object)]
    rows += ["<tr>" + "<td></td>" * width + "</tr>"] * style.trailing_empty
    charset = "gbk" if style.encoding == "gbk" else "utf-8"
    page = ('<html xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head><meta http-equiv="Content-Type" '
            f'content="text/html; charset={charset}"></head>\n<body>\n<table border="1">\n'
            + "\n".join(rows) + "\n</table>\n</body>\n</html>\n")
    path.write_bytes(page.encode(style.encoding or "utf-8"))
