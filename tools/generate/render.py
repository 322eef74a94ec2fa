"""How one export file looks (format, encoding, headers, value forms) and the rendering of records to text."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from tools.generate.feeds import FEEDS

DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")
YESNO = {"是否": ("是", "否"), "YN": ("Y", "N"), "10": ("1", "0"), "check": ("√", "")}


@dataclass(frozen=True)
class FileStyle:
    format: str  # csv / xlsx / xls (BIFF) / html
    encoding: str  # utf-8 / utf-8-sig / gbk (csv, html); "" for xlsx and xls
    header_language: str  # zh / en
    name_language: str  # zh / en (file name stem)
    datetime_format: str
    money: str  # int / 2dp / comma
    yesno: str  # key of YESNO
    location_as_code: bool  # 乡镇 / 村 as codes (always for clones)
    title_rows: int  # xlsx: rows above the header
    trailing_empty: int  # xlsx: empty rows after the data
    numbers_as_text: bool  # xlsx: numbers stored as text
    date_cells: str  # xlsx: text / datetime (Excel serial with a date format) / serial (bare number)
    messy_headers: bool  # spaces, line breaks, full-width brackets inside header cells
    suffix: str = ""  # the file name's extension when it differs from the format (an HTML table saved as .xls)


def choose_style(rng: np.random.Generator, is_clone: bool, xlsx_share: float) -> FileStyle:
    u = rng.random(13)
    fmt = "xlsx" if u[0] < xlsx_share else "csv"
    encoding = "" if fmt == "xlsx" else ("utf-8" if u[1] < 0.45 else "utf-8-sig" if u[1] < 0.72 else "gbk")
    return FileStyle(
        format=fmt,
        encoding=encoding,
        header_language="en" if u[2] < 0.18 else "zh",
        name_language="en" if u[3] < 0.25 else "zh",
        datetime_format=DATETIME_FORMATS[int(u[4] * len(DATETIME_FORMATS))],
        money=("int", "int", "2dp", "comma")[int(u[5] * 4)],
        yesno=("是否", "是否", "YN", "10", "check")[int(u[6] * 5)],
        location_as_code=bool(is_clone or u[7] < 0.1),
        title_rows=int(u[8] * 3) if fmt == "xlsx" else 0,
        trailing_empty=int(u[9] * 4) if fmt == "xlsx" else 0,
        numbers_as_text=bool(fmt == "xlsx" and u[10] < 0.4),
        date_cells=("text", "datetime", "datetime", "serial")[int(u[11] * 4)] if fmt == "xlsx" else "text",
        messy_headers=bool(u[12] < 0.4),
    )


# Legacy exports of the real district, at fixed slots of the scenario's months so the path is always exercised:
# slot (month index + 5 × feed index) mod 23 = 3 -> Excel 97–2003 (.xls, BIFF); 14 -> a web system's "导出Excel",
# an HTML table saved as .xls (even month index) or .htm (odd), UTF-8 or GBK. About six of each in Nanhe.
LEGACY_SLOTS = {3: "xls", 14: "html"}


def legacy_style(style: FileStyle, feed_index: int, month_index: int, is_clone: bool) -> FileStyle:
    """The style itself, or the same look written as a legacy .xls or HTML export at the legacy slots."""
    fmt = None if is_clone else LEGACY_SLOTS.get((month_index + 5 * feed_index) % 23)
    if fmt == "xls":
        return replace(style, format="xls", encoding="")
    if fmt == "html":
        return replace(style, format="html", encoding="gbk" if month_index % 3 == 0 else "utf-8",
                       suffix="xls" if month_index % 2 == 0 else "htm", title_rows=max(style.title_rows, 1))
    return style


def headers(feed: str, style: FileStyle, rng: np.random.Generator) -> list[str]:
    cols = FEEDS[feed]
    if style.header_language == "en":
        out = [key for _, key, _ in cols]
        if style.messy_headers:
            out = [f" {h} " if rng.random() < 0.2 else h for h in out]
        return out
    out = []
    for header, _, _ in cols:
        if style.messy_headers:
            r = rng.random()
            if "(" in header and r < 0.5:
                header = header.replace("(", "（").replace(")", "）")
            elif r < 0.15 and len(header) > 2:
                header = header[:2] + "\n" + header[2:]
            elif r < 0.3:
                header = f" {header}"
            elif r < 0.4 and len(header) > 2:
                header = header[:2] + " " + header[2:]
        out.append(header)
    return out


def money_text(values: np.ndarray, style: str) -> np.ndarray:
    v = pd.Series(values, dtype=float)
    if style == "comma":
        out = v.map(lambda x: f"{x:,.2f}")
    elif style == "2dp":
        out = v.map(lambda x: f"{x:.2f}")
    else:
        out = v.round(0).astype("Int64").astype(str)
    return out.where(v.notna(), "").to_numpy(object)


def render(feed: str, rows: pd.DataFrame, styles: list[FileStyle], style_of_row: np.ndarray,
           names: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Canonical records -> text cells (columns = keys), each row in the style of the file it goes to."""
    out: dict[str, np.ndarray] = {}
    n = len(rows)

    def by(attr: str) -> dict[object, np.ndarray]:
        values = np.array([getattr(s, attr) for s in styles], dtype=object)[style_of_row] if n else np.array([], object)
        return {v: values == v for v in dict.fromkeys(values.tolist())}

    dt_groups, money_groups, yn_groups, loc_groups = by("datetime_format"), by("money"), by("yesno"), by("location_as_code")
    for _, key, kind in FEEDS[feed]:
        col = rows[key]
        cells = np.empty(n, dtype=object)
        if kind in ("datetime", "date"):
            ts = pd.to_datetime(col)
            for fmt, sel in dt_groups.items():
                f = fmt if kind == "datetime" else str(fmt).split(" ")[0]
                cells[sel] = ts[sel].dt.strftime(f).fillna("").to_numpy(object)
        elif kind == "money":
            for style, sel in money_groups.items():
                cells[sel] = money_text(col.to_numpy(float)[sel], str(style))
        elif kind == "yesno":
            truth = col.astype(bool).to_numpy()
            for style, sel in yn_groups.items():
                yes, no = YESNO[str(style)]
                cells[sel] = np.where(truth[sel], yes, no)
        elif kind == "int":
            cells[:] = col.astype("Int64").astype(str).to_numpy(object)
        elif key in ("township", "village"):
            raw = col.fillna("").astype(str)
            named = col.map(names[key]).fillna(raw).to_numpy(object)
            for as_code, sel in loc_groups.items():
                cells[sel] = raw.to_numpy(object)[sel] if as_code else named[sel]
        else:
            cells[:] = col.fillna("").astype(str).to_numpy(object)
        out[key] = cells
    return pd.DataFrame(out)
