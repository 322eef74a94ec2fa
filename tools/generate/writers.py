"""Write one export file: CSV (UTF-8, UTF-8 with BOM, GBK) or XLSX (title rows, typed or text cells)."""

from __future__ import annotations

import csv
import datetime as dt
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


def write_xlsx(path: Path, header: list[str], cells: pd.DataFrame, style: FileStyle, feed: str, titles: list[str]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_urls": False, "strings_to_formulas": False})
    wb.set_properties({"title": titles[0] if titles else "", "author": "fanzha", "created": FIXED_CREATED})
    ws = wb.add_worksheet("Sheet1")
    dt_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    blank_fmt = wb.add_format({"border": 0})
    kinds = [kind for _, _, kind in FEEDS[feed]]
    columns = []
    for j, kind in enumerate(kinds):  # pre-parse typed columns once, vectorised
        col = cells.iloc[:, j]
        if kind in ("datetime", "date") and style.date_cells != "text":
            fmt = style.datetime_format if kind == "datetime" else style.datetime_format.split(" ")[0]
            parsed = pd.to_datetime(col, format=fmt, errors="coerce")
            if style.date_cells == "serial":
                serial = ((parsed - _EXCEL_EPOCH) / pd.Timedelta(days=1)).round(6)
                columns.append(("number", serial.to_numpy(float)))
            else:
                columns.append(("datetime", parsed.dt.to_pydatetime() if len(parsed) else np.array([]), dt_fmt if kind == "datetime" else date_fmt))
        elif kind in ("money", "int") and not style.numbers_as_text:
            plain = col.map(lambda s: bool(_PLAIN_NUMBER.fullmatch(s)))
            columns.append(("number", np.where(plain, pd.to_numeric(col.where(plain), errors="coerce"), np.nan)))
        else:
            columns.append(None)
    r = 0
    for title in titles:
        ws.write_string(r, 0, title)
        r += 1
    for j, h in enumerate(header):
        ws.write_string(r, j, h)
    r += 1
    values = cells.to_numpy(object)
    for i in range(len(values)):
        for j, text in enumerate(values[i]):
            typed = columns[j]
            if typed is not None:
                if typed[0] == "number" and not np.isnan(typed[1][i]):
                    ws.write_number(r, j, float(typed[1][i]))
                    continue
                if typed[0] == "datetime" and not pd.isna(typed[1][i]):
                    ws.write_datetime(r, j, typed[1][i], typed[2])
                    continue
            if text != "":
                ws.write_string(r, j, text)
        r += 1
    for _ in range(style.trailing_empty):
        for j in range(len(header)):
            ws.write_blank(r, j, None, blank_fmt)
        r += 1
    wb.close()
