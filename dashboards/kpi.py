"""Reading KPI rows for the chosen scope (district, or one township/unit) from the KPI marts, through the read layer."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboards import data
from fanzha.access.scope import Between
from fanzha.core import fmt


def _rows(district: str, unit: str, month: object) -> pd.DataFrame:
    """KPI rows of `unit` (public district rows when unit is empty; a unit's own rows only within the scope)."""
    if unit:
        return data.read("unit_kpis", where={"unit_code": unit, "month": month}, order_by=["month"])
    return data.read("district_kpis", where={"district_code": district, "month": month}, order_by=["month"])


def scope_rows(district: str, unit: str, months: list[date]) -> pd.DataFrame:
    """KPI rows of `unit` (or of the district when unit is empty) for the given months, indexed by month."""
    return _by_month(_rows(district, unit, list(months)))


def scope_range(district: str, unit: str, first: date, last: date) -> pd.DataFrame:
    """KPI rows of `unit` (or the district) for months first..last, ordered by month."""
    return _by_month(_rows(district, unit, Between(first, last)))


def _by_month(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df
    out = df.copy()
    out["month"] = pd.to_datetime(out["month"]).dt.date
    return out.set_index("month", drop=False).sort_index()


def row_at(df: pd.DataFrame, month: date) -> pd.Series | None:
    return df.loc[month] if month in df.index else None


def around(district: str, unit: str, month: date) -> tuple[pd.Series | None, pd.Series | None, pd.Series | None]:
    """(this month, previous month, same month last year) rows."""
    prev, last_year = fmt.add_months(month, -1), fmt.add_months(month, -12)
    df = scope_rows(district, unit, [month, prev, last_year])
    return row_at(df, month), row_at(df, prev), row_at(df, last_year)
