"""待办与超时: the leads open and overdue as of the data cut-off (marts watch_*; docs/watch.md).

A unit or station account sees the open leads of its own units (the read layer limits the rows to its
scope), most urgent first: the earliest deadline of the next step, i.e. the most overdue, then the soonest
due. The committee and analysts see the counts by unit with the daily trend and the overdue list of the
district (or of the township chosen in the sidebar), and may open one unit's list (查看单位, kept in the URL
as `viewer=<unit code>`). The page selects, filters and formats what the marts hold; it computes no figure
(the two counts above a unit's list are the number of rows listed).
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
LEAD_COLUMNS = ["name_masked", "township_code", "township_name", "village_name", "member_unit_code",
                "member_unit_name", "alert_type", "amount_at_risk", "issued_at", "next_step_label",
                "next_step_deadline", "is_overdue", "minutes_overdue", "overdue_step_labels"]
DAILY_COLUMNS = ["unit_code", "unit_name", "unit_kind", "as_of_date", "open_leads", "overdue_leads"]

f = filters.current()
WATCH_TABLES = ("watch_cut_off", "watch_open_leads", "watch_unit_daily")
if not all(data.has_table(t) for t in WATCH_TABLES):
    st.title("待办与超时")  # the page says what it is, then why it cannot show anything yet
data.require_tables(*WATCH_TABLES)
everything = data.scope().everything

cut = data.read("watch_cut_off", columns=["cut_off_at", "cut_off_source"])
cut_off = None if cut.empty or fmt.is_missing(cut["cut_off_at"].iloc[0]) else pd.Timestamp(cut["cut_off_at"].iloc[0])
daily = data.read("watch_unit_daily", columns=DAILY_COLUMNS, where={"district_code": f.district},
                  order_by=["as_of_date desc", "unit_code"], limit=TREND_DAYS * 64)
last_day = daily[daily["as_of_date"] == daily["as_of_date"].max()] if not daily.empty else daily
unit_names = dict(zip(last_day["unit_code"], last_day["unit_name"], strict=True))

viewer = COMMITTEE
if everything:
    names = {COMMITTEE: "全区（区委政法委）", **unit_names}
    viewer = filters.synced_select("查看单位", list(names), "viewer", COMMITTEE, lambda c: names.get(c, c))
heading = (f.scope_name if viewer == COMMITTEE else unit_names.get(viewer, viewer)) if everything \
    else data.scope_name()
st.title(f"待办与超时 · {heading}")
if cut_off is None:
    st.info("还没有任何预警线索数据。")
    st.stop()
source = "按设定的截止时间" if cut["cut_off_source"].iloc[0] == "var" else "最新导出数据中的最晚时间"
st.caption(f"数据截至 {cut_off:%Y年%m月%d日 %H:%M}（{source}，不是当前时刻）。未完结：仍有应办环节未完成；"
           "超时：有环节已过处置时限。时限见《处置时限规则》（handling_rules.csv），本页不随月份筛选变化。")


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


def trend(rows: pd.DataFrame, title: str) -> None:
    """The daily open and overdue counts of one unit (or the district) as lines."""
    rows = rows.sort_values("as_of_date")
    if rows.empty:
        return
    days = pd.to_datetime(rows["as_of_date"])
    long = pd.concat([pd.DataFrame({"日期": days, "指标": "未完结", "线索数": rows["open_leads"]}),
                      pd.DataFrame({"日期": days, "指标": "超时", "线索数": rows["overdue_leads"]})])
    axis = alt.Axis(format="%m月%d日", labelAngle=-45, tickCount={"interval": "day", "step": max(1, len(rows) // 12)})
    chart = (
        alt.Chart(long, title=title)
        .mark_line(point=len(rows) <= 31)
        .encode(
            x=alt.X("日期:T", title="日期（当日结束时）", axis=axis),
            y=alt.Y("线索数:Q", title="线索数"),
            color=alt.Color("指标:N", title="指标",
                            scale=alt.Scale(domain=["未完结", "超时"], range=[charts.NEUTRAL, charts.BAD])),
            tooltip=[alt.Tooltip("日期:T", format="%Y年%m月%d日"), "指标:N", "线索数:Q"],
        )
        .properties(height=260)
    )
    charts.show(charts._style(chart))


leads = data.read("watch_open_leads", columns=LEAD_COLUMNS, where={"district_code": f.district},
                  order_by=["next_step_deadline", "alert_id"])

if everything and viewer == COMMITTEE:
    district = data.read("watch_district_daily", columns=DAILY_COLUMNS, where={"unit_code": f.district},
                         order_by=["as_of_date desc"], limit=TREND_DAYS)
    headline = last_day[last_day["unit_code"] == f.township] if f.township else district.head(1)
    left, right = st.columns(2)
    for column, label, target in (("open_leads", "未完结线索（条）", left), ("overdue_leads", "超时线索（条）", right)):
        target.metric(label, fmt.MISSING if headline.empty else fmt.count(headline[column].iloc[0]), border=True)

    st.subheader("各单位未完结与超时线索")
    by_unit = last_day.sort_values(["overdue_leads", "open_leads", "unit_code"], ascending=[False, False, True])
    st.dataframe(pd.DataFrame({
        "单位": by_unit["unit_name"], "类别": [UNIT_KINDS.get(k, k) for k in by_unit["unit_kind"]],
        "未完结": by_unit["open_leads"], "超时": by_unit["overdue_leads"],
    }), hide_index=True)
    st.caption("一条线索同时计入其住址所在乡镇和工作单位所属的成员单位（两者都负责处置），故各单位合计可多于全区。")
    trend(daily[daily["unit_code"] == f.township] if f.township else district,
          f"近{TREND_DAYS}天每日未完结与超时线索（{f.scope_name}）")

    overdue = leads[leads["is_overdue"].astype(bool)]
    if f.township:
        overdue = overdue[overdue["township_code"] == f.township]
    st.subheader(f"超时线索清单（{len(overdue)} 条，超时最久的在前）")
    if overdue.empty:
        st.success(f"{f.scope_name}没有超时线索。")
    else:
        st.dataframe(leads_table(overdue, with_unit=True), hide_index=True,
                     column_config=charts.money_columns("预警金额（万元）"))
else:
    mine = leads if viewer == COMMITTEE else leads[(leads["township_code"] == viewer)
                                                   | (leads["member_unit_code"] == viewer)]
    left, right = st.columns(2)
    left.metric("未完结线索（条）", fmt.count(len(mine)), border=True)
    right.metric("其中超时（条）", fmt.count(int(mine["is_overdue"].astype(bool).sum())), border=True)
    st.subheader(f"{heading}的待办线索（最紧急的在前）")
    if mine.empty:
        st.success(f"{heading}目前没有未完结的线索。")
    else:
        st.dataframe(leads_table(mine, with_unit=not everything and len(unit_names) > 1), hide_index=True,
                     column_config=charts.money_columns("预警金额（万元）"))
    own = daily if viewer == COMMITTEE else daily[daily["unit_code"] == viewer]
    for code in sorted(set(own["unit_code"])):
        trend(own[own["unit_code"] == code], f"近{TREND_DAYS}天每日未完结与超时线索（{unit_names.get(code, code)}）")
