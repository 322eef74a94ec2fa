"""Number and date formatting shared by the dashboard and the notice: 万元, %, 同比/环比 arrows,
Chinese month and day labels. Pure: no Streamlit, no I/O."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

MISSING = "—"


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas NA."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


def month_label(month: date | str) -> str:
    """'2023-11' or date(2023, 11, 1) -> '2023年11月'."""
    if isinstance(month, str):
        year, mon = (int(part) for part in month[:7].split("-"))
    else:
        year, mon = month.year, month.month
    return f"{year}年{mon}月"


def date_label(day: date) -> str:
    """date(2023, 11, 5) -> '2023年11月5日'."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_key(month: date) -> str:
    """date(2023, 11, 1) -> '2023-11' (the form used in URLs)."""
    return f"{month.year:04d}-{month.month:02d}"


def parse_month_key(text: str | None) -> date | None:
    """'2023-11' -> date(2023, 11, 1); None for anything else."""
    if not text:
        return None
    parts = text.strip().split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    year, mon = int(parts[0]), int(parts[1])
    if not 1 <= mon <= 12 or year < 1900:
        return None
    return date(year, mon, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + (month.month - 1) + n
    return date(index // 12, index % 12 + 1, 1)


def wan_figure(yuan: Any) -> str:
    """Money in 元 -> the 万元 figure with two decimals, no unit: 132000 -> '13.20' (table cells)."""
    if is_missing(yuan):
        return MISSING
    return f"{float(yuan) / 10000:,.2f}"


def wan(yuan: Any) -> str:
    """Money in 元 -> '1,104.28 万元' (two decimals)."""
    if is_missing(yuan):
        return MISSING
    return f"{wan_figure(yuan)} 万元"


def wan_number(yuan: Any) -> float | None:
    """Money in 元 -> 万元 as a number rounded to two decimals (for tables and charts)."""
    if is_missing(yuan):
        return None
    return round(float(yuan) / 10000, 2)


def pct(rate: Any, digits: int = 1) -> str:
    """Rate in [0, 1] -> '86.9%'."""
    if is_missing(rate):
        return MISSING
    return f"{float(rate) * 100:.{digits}f}%"


def count(value: Any) -> str:
    if is_missing(value):
        return MISSING
    return f"{int(round(float(value))):,}"


def arrow(change: float | None) -> str:
    if change is None:
        return ""
    if change > 0:
        return "↑"
    if change < 0:
        return "↓"
    return "→"


def change_text(change: float | None, *, unit: str = "ratio") -> str:
    """A change as '↓ 86.9%' (unit='ratio'), '↑ 3.5个百分点' (unit='pp') or '↑ 2' (unit='count')."""
    if change is None:
        return "无可比数据"
    sign = arrow(change)
    size = abs(change)
    if unit == "ratio":
        return f"{sign} {size * 100:.1f}%"
    if unit == "pp":
        return f"{sign} {size * 100:.1f}个百分点"
    return f"{sign} {size:,.0f}" if float(size).is_integer() else f"{sign} {size:,.2f}"


def change_colour(change: float | None, *, higher_is_better: bool) -> str:
    """Streamlit markdown colour for a change: green when it is good, red when bad, grey otherwise."""
    if change is None or change == 0:
        return "gray"
    good = (change > 0) == higher_is_better
    return "green" if good else "red"


def change_markdown(label: str, change: float | None, *, unit: str, higher_is_better: bool) -> str:
    """'同比 :green[↓ 86.9%]' for st.markdown."""
    colour = change_colour(change, higher_is_better=higher_is_better)
    return f"{label} :{colour}[{change_text(change, unit=unit)}]"
