"""待办与超时: the leads open and overdue as of the data cut-off (marts watch_*; docs/watch.md).

A unit (township or member unit, chosen as 查看身份 and kept in the URL as `viewer=<unit code>`) sees its own
open leads, most urgent first (earliest deadline of the next step: the most overdue, then the soonest due).
The committee (`viewer=committee`) sees the counts by unit and the overdue list of the district (or of the
township chosen in the sidebar). Everything shown is read from the marts: the page selects, filters and
formats; it computes no figure.

Written against today's `dashboards/data.py` (no sign-in yet): the viewer is a URL choice, not a grant.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import charts, data, filters
from dashboards.labels import UNIT_KINDS
from fanzha.alerts.core import duration_text
from fanzha.core import fmt

COMMITTEE = "committee"
TREND_DAYS = 90

f = filters.current()
data.require_tables("watch_cut_off", "watch_open_leads", "watch_unit_daily", "dim_units")

units = data.query(
    f"select unit_code, unit_name, unit_kind from {data.table('dim_units')} "
    "where district_code = ? and unit_kind in (?, ?) order by unit_kind desc, unit_code",
    (f.district, "township", "member_unit"),
)
names = {COMMITTEE: "区委政法委（全区）", **dict(zip(units["unit_code"], units["unit_name"], strict=True))}
viewer = filters.synced_select("查看身份", list(names), "viewer", COMMITTEE, lambda c: names.get(c, c))

cut = data.query(f"select cut_off_at, cut_off_source from {data.table('watch_cut_off')}")
cut_off = None if cut.empty or fmt.is_missing(cut["cut_off_at"].iloc[0]) else pd.Timestamp(cut["cut_off_at"].iloc[0])
st.title(f"待办与超时 · {names[viewer] if viewer != COMMITTEE else f.scope_name}")
if cut_off is None:
    st.info("还没有任何预警线索数据。")
    st.stop()
source = "按设定的截止时间" if cut["cut_off_source"].iloc[0] == "var" else "最新导出数据中的最晚时间"
st.caption(f"数据截至 {cut_off:%Y年%m月%d日 %H:%M}（{source}，不是当前时刻）。未完结：仍有应办环节未完成；"
           "超时：有环节已过处置时限。时限见《处置时限规则》（handling_rules.csv），本页不随月份筛选变化。")

LEADS = f"""
    select alert_id, name_masked, township_name, village_name, member_unit_name, alert_type, amount_at_risk,
           issued_at, next_step_label, next_step_deadline, is_overdue, minutes_overdue, overdue_step_labels
    from {data.table('watch_open_leads')}
    where district_code = ?
"""


def leads_table(df: pd.DataFrame, *, with_unit: bool) -> pd.DataFrame:
    """The open leads as shown: masked name and place, the next step and how late it is (formatting only)."""
    shown = pd.DataFrame({
        "姓名": df["name_masked"].fillna("—"),
        "乡镇": df["township_name"].fillna("—"),
        "村（社区）": df["village_name"].fillna("—"),
        "成员单位": df["member_unit_name"].fillna("—"),
        "预警类型": df["alert_type"],
        "预警金额（万元）": [fmt.wan_number(v) for v in df["amount_at_risk"]],
        "下发时间": pd.to_datetime(df["issued_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        "下一环节": df["next_step_label"],
        "应完成时间": pd.to_datetime(df["next_step_deadline"]).dt.strftime("%Y-%m-%d %H:%M"),
        "状态": [f"超时 {duration_text(float(m))}" if bool(o) else "未超时"
                 for o, m in zip(df["is_overdue"], df["minutes_overdue"], strict=True)],
        "超时环节": df["overdue_step_labels"].fillna(""),
    })
    return shown if with_unit else shown.drop(columns=["乡镇", "成员单位"])


def trend(unit_code: str, title: str) -> None:
    daily = data.query(
        f"select as_of_date, open_leads, overdue_leads from {data.table('watch_unit_daily')} "
        "where unit_code = ? order by as_of_date desc limit ?",
        (unit_code, TREND_DAYS),
    )
    if daily.empty:
        return
    days = pd.to_datetime(daily["as_of_date"])
    long = pd.concat([pd.DataFrame({"日期": days, "指标": "未完结", "线索数": daily["open_leads"]}),
                      pd.DataFrame({"日期": days, "指标": "超时", "线索数": daily["overdue_leads"]})])
    chart = (
        alt.Chart(long, title=title)
        .mark_line(point=len(daily) <= 31)
        .encode(
            x=alt.X("日期:T", title="日期（当日结束时）", axis=alt.Axis(format="%m月%d日", labelAngle=-45,
                                                                       tickCount={"interval": "day",
                                                                                  "step": max(1, len(daily) // 12)})),
            y=alt.Y("线索数:Q", title="线索数"),
            color=alt.Color("指标:N", title="指标", scale=alt.Scale(domain=["未完结", "超时"],
                                                                   range=[charts.NEUTRAL, charts.BAD])),
            tooltip=[alt.Tooltip("日期:T", format="%Y年%m月%d日"), "指标:N", "线索数:Q"],
        )
        .properties(height=260)
    )
    charts.show(charts._style(chart))


if viewer == COMMITTEE:
    scope = f.township or f.district
    today = data.query(
        f"select unit_code, unit_name, unit_kind, open_leads, overdue_leads from {data.table('watch_unit_daily')} "
        f"where district_code = ? and as_of_date = (select max(as_of_date) from {data.table('watch_unit_daily')})",
        (f.district,),
    )
    headline = today[today["unit_code"] == scope]
    left, right = st.columns(2)
    left.metric("未完结线索（条）", fmt.MISSING if headline.empty else fmt.count(headline["open_leads"].iloc[0]),
                border=True)
    right.metric("超时线索（条）", fmt.MISSING if headline.empty else fmt.count(headline["overdue_leads"].iloc[0]),
                 border=True)

    st.subheader("各单位未完结与超时线索")
    by_unit = today[today["unit_kind"].isin(["township", "member_unit"])].sort_values(
        ["overdue_leads", "open_leads", "unit_code"], ascending=[False, False, True])
    st.dataframe(pd.DataFrame({
        "单位": by_unit["unit_name"], "类别": [UNIT_KINDS.get(k, k) for k in by_unit["unit_kind"]],
        "未完结": by_unit["open_leads"], "超时": by_unit["overdue_leads"],
    }), hide_index=True)
    st.caption("一条线索同时计入其住址所在乡镇和工作单位所属的成员单位（两者都负责处置），故各单位合计可多于全区。")

    trend(scope, f"近{TREND_DAYS}天每日未完结与超时线索（{f.scope_name}）")

    where, params = LEADS + " and is_overdue", [f.district]
    if f.township:
        where += " and township_code = ?"
        params.append(f.township)
    overdue = data.query(where + " order by next_step_deadline, alert_id", tuple(params))
    st.subheader(f"超时线索清单（{len(overdue)} 条，超时最久的在前）")
    if overdue.empty:
        st.success(f"{f.scope_name}没有超时线索。")
    else:
        st.dataframe(leads_table(overdue, with_unit=True), hide_index=True,
                     column_config=charts.money_columns("预警金额（万元）"))
else:
    unit_name = names[viewer]
    mine = data.query(
        LEADS + " and (township_code = ? or member_unit_code = ?) order by next_step_deadline, alert_id",
        (f.district, viewer, viewer),
    )
    counts = data.query(
        f"select open_leads, overdue_leads from {data.table('watch_unit_daily')} where unit_code = ? "
        "order by as_of_date desc limit 1",
        (viewer,),
    )
    left, right = st.columns(2)
    left.metric("未完结线索（条）", fmt.MISSING if counts.empty else fmt.count(counts["open_leads"].iloc[0]),
                border=True)
    right.metric("其中超时（条）", fmt.MISSING if counts.empty else fmt.count(counts["overdue_leads"].iloc[0]),
                 border=True)
    st.subheader(f"{unit_name}的待办线索（最紧急的在前）")
    if mine.empty:
        st.success(f"{unit_name}目前没有未完结的线索。")
    else:
        st.dataframe(leads_table(mine, with_unit=False), hide_index=True,
                     column_config=charts.money_columns("预警金额（万元）"))
    trend(viewer, f"近{TREND_DAYS}天每日未完结与超时线索（{unit_name}）")
