"""Reading KPI rows for the chosen scope (district, or one township/unit) from the KPI marts, through the read layer.

A row carries the month's measures and, computed by the mart, their previous month, same month last year and
changes (`<m>_mom`, `<m>_yoy`, `<m>_mom_change`, `<m>_yoy_change`, contract §4): a page reads one row per
month and never combines rows of different months.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboards import data
from fanzha.access.scope import Between


def _rows(district: str, unit: str, month: object) -> pd.DataFrame:
    """KPI rows of `unit` (public district rows when unit is empty; a unit's own rows only within the scope)."""
    if unit:
        return data.read("unit_kpis", where={"unit_code": unit, "month": month}, order_by=["month"])
    return data.read("district_kpis", where={"district_code": district, "month": month}, order_by=["month"])


def _by_month(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df
    out = df.copy()
    out["month"] = pd.to_datetime(out["month"]).dt.date
    return out.set_index("month", drop=False).sort_index()


def scope_range(district: str, unit: str, first: date, last: date) -> pd.DataFrame:
    """KPI rows of `unit` (or the district) for months first..last, indexed and ordered by month (trends)."""
    return _by_month(_rows(district, unit, Between(first, last)))


def month_row(district: str, unit: str, month: date) -> pd.Series | None:
    """The KPI row of `unit` (or of the district when unit is empty) for `month`, None when there is none."""
    df = _by_month(_rows(district, unit, month))
    return df.loc[month] if month in df.index else None
