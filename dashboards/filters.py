"""Sidebar filters (district, month, unit kind, township) kept in the URL query parameters.

A shared link such as `/ranking?month=2023-11&kind=member_unit` opens that view. Values chosen in the
sidebar are written back to `st.query_params` on every run; each value is also kept in session state
under a separate key, so it survives pages where its widget is not shown.

The township filter offers what the signed-in grant may see in detail: every township for the committee and
analysts, the user's own township(s) (or a station's covered ones) otherwise, besides 全区 (district KPIs are
public). A URL naming another unit is not among the options, so it falls back to the user's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from dashboards import data
from dashboards.labels import RANKED_KINDS, UNIT_KINDS
from fanzha.core import fmt

DEFAULT_DISTRICT = "130506"
ALL = ""  # the "whole district" choice of the township filter


@dataclass(frozen=True)
class Filters:
    district: str
    district_name: str
    month: date
    month_has_data: bool
    months: tuple[date, ...]  # months with data, ascending
    kind: str
    township: str  # township code, or ALL
    township_name: str
    scoped: bool = False  # the user sees the detail of its own units only
    own_name: str = ""  # those units' names (when scoped)

    @property
    def month_label(self) -> str:
        return fmt.month_label(self.month)

    @property
    def scope_name(self) -> str:
        """What the figures on screen cover: the township if one is chosen, else the district."""
        return self.township_name if self.township else self.district_name

    @property
    def detail_note(self) -> str:
        """A caption for lead/case detail shown while 全区 is chosen by a scoped user: whose rows these are."""
        return f"明细仅含本账号范围（{self.own_name}）的记录。" if self.scoped and not self.township else ""


def synced_select(
    label: str,
    options: Sequence[str],
    param: str,
    default: str,
    format_func: Callable[[str], str] = str,
    container: object = None,
) -> str:
    """A selectbox whose value lives in the URL query parameter `param`."""
    where = container if container is not None else st.sidebar
    key, keep = f"w_{param}", f"keep_{param}"
    if key not in st.session_state:
        wanted = st.session_state.get(keep) or st.query_params.get(param)
        st.session_state[key] = wanted if wanted in options else default
    elif st.session_state[key] not in options:
        st.session_state[key] = default
    value = where.selectbox(label, list(options), key=key, format_func=format_func)  # type: ignore[attr-defined]
    st.session_state[keep] = value
    st.query_params[param] = value
    return value


def kept(param: str, options: Sequence[str], default: str) -> str:
    """The remembered value of a filter whose widget this page does not show."""
    wanted = st.session_state.get(f"keep_{param}") or st.query_params.get(param)
    return wanted if wanted in options else default


def _districts() -> dict[str, str]:
    df = data.read("districts", order_by=["unit_code"])
    return dict(zip(df["unit_code"].astype(str), df["unit_name"].astype(str), strict=True))


def _months(district: str) -> list[date]:
    df = data.read("district_kpis", columns=["month"], where={"district_code": district}, distinct=True,
                   order_by=["month"])
    return [m.date() if hasattr(m, "date") else m for m in df["month"].tolist()]


def _townships(district: str) -> dict[str, str]:
    """The district's townships the signed-in grant may see in detail (all of them for an all-seeing role)."""
    df = data.read("own_townships", columns=["unit_code", "unit_name"], where={"district_code": district},
                   order_by=["unit_code"])
    return dict(zip(df["unit_code"].astype(str), df["unit_name"].astype(str), strict=True))


def sidebar(*, show_kind: bool, show_township: bool) -> Filters:
    """Draw the filters this page uses and return every filter's current value."""
    st.sidebar.header("筛选")
    districts = _districts()
    codes = list(districts) or [DEFAULT_DISTRICT]
    default_district = DEFAULT_DISTRICT if DEFAULT_DISTRICT in codes else codes[0]
    if len(codes) > 1:
        district = synced_select("区县", codes, "district", default_district, lambda c: districts.get(c, c))
    else:
        district = codes[0]

    months = _months(district)
    keys = [fmt.month_key(m) for m in months]
    requested = fmt.parse_month_key(st.session_state.get("keep_month") or st.query_params.get("month"))
    options = list(keys)
    if requested is not None and fmt.month_key(requested) not in options:
        options = sorted({*options, fmt.month_key(requested)})
    default_month = keys[-1] if keys else (options[-1] if options else fmt.month_key(date.today().replace(day=1)))
    if not options:
        options = [default_month]
    month_key = synced_select("月份", options, "month", default_month, fmt.month_label)

    kind_options = list(RANKED_KINDS)
    if show_kind:
        kind = synced_select("单位类别", kind_options, "kind", kind_options[0], lambda k: UNIT_KINDS[k])
    else:
        kind = kept("kind", kind_options, kind_options[0])

    townships = _townships(district)
    town_options = [ALL, *townships]
    names = {ALL: "全区", **townships}
    scoped = not data.scope().everything
    own_township = next(iter(townships), ALL) if scoped else ALL  # a scoped user starts on its own township
    if show_township:
        township = synced_select("乡镇", town_options, "township", own_township, lambda c: names.get(c, c))
    else:
        township = kept("township", town_options, own_township)

    month = fmt.parse_month_key(month_key) or date.today().replace(day=1)
    return Filters(
        district=district,
        district_name=districts.get(district, district),
        month=month,
        month_has_data=month_key in keys,
        months=tuple(months),
        kind=kind,
        township=township,
        township_name=names.get(township, township),
        scoped=scoped,
        own_name=data.scope_name() if scoped else "",
    )


def require_month_data(f: Filters) -> None:
    """Stop the page with a clear message when the chosen month has no data."""
    if f.month_has_data:
        return
    if f.months:
        span = f"{fmt.month_label(f.months[0])}至{fmt.month_label(f.months[-1])}"
        st.info(f"{f.month_label}没有数据。已发布的数据覆盖{span}，请在左侧选择其他月份。")
    else:
        st.info(f"{f.district_name}尚无任何月份的数据。")
    st.stop()


def current() -> Filters:
    """The filters app.py drew for this run."""
    return st.session_state["filters"]
