"""Reading KPI rows for the chosen scope (district, or one township/unit) from the KPI marts."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboards import data
from fanzha.core import fmt


def scope_rows(district: str, unit: str, months: list[date]) -> pd.DataFrame:
    """KPI rows of `unit` (or of the district when unit is empty) for the given months, indexed by month."""
    marks = ", ".join("?" for _ in months)
    if unit:
        df = data.query(
            f"select * from {data.table('kpi_unit_monthly')} where unit_code = ? and month in ({marks})",
            (unit, *months),
        )
    else:
        df = data.query(
            f"select * from {data.table('kpi_district_monthly')} where district_code = ? and month in ({marks})",
            (district, *months),
        )
    return _by_month(df)


def scope_range(district: str, unit: str, first: date, last: date) -> pd.DataFrame:
    """KPI rows of `unit` (or the district) for months first..last, ordered by month."""
    if unit:
        df = data.query(
            f"select * from {data.table('kpi_unit_monthly')} where unit_code = ? and month between ? and ? "
            "order by month",
            (unit, first, last),
        )
    else:
        df = data.query(
            f"select * from {data.table('kpi_district_monthly')} where district_code = ? "
            "and month between ? and ? order by month",
            (district, first, last),
        )
    return _by_month(df)


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
