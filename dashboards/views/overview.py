"""总览: the month's headline cards, 24-month trends and the model year against the year before."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import cards, charts, data, filters, kpi
from fanzha.core import fmt

f = filters.current()
st.title(f"总览 · {f.scope_name} · {f.month_label}")
filters.require_month_data(f)

cur = kpi.month_row(f.district, f.township, f.month)
if cur is None:
    st.info(f"{f.scope_name}{f.month_label}没有数据。")
    st.stop()
cards.render(cards.HEADLINE_CARDS, cur)
st.caption("同比：与上年同月比较；环比：与上月比较。绿色表示向好，红色表示变差；比率的变化以百分点计。")

# -- 24-month trends ----------------------------------------------------------------------------
st.subheader("近24个月趋势")
trend = kpi.scope_range(f.district, f.township, fmt.add_months(f.month, -23), f.month)


def _long(frame: pd.DataFrame, columns: dict[str, str], scale: float = 1.0) -> pd.DataFrame:
    out = frame[["month", *columns]].melt(id_vars="month", var_name="指标", value_name="数值")
    out["指标"] = out["指标"].map(columns)
    out["数值"] = out["数值"].astype("float64") * scale
    out["月份"] = pd.to_datetime(out["month"])
    return out[["月份", "指标", "数值"]]


left, right = st.columns(2)
with left:
    counts = {"leads": "预警线索", "fund_leads": "资金预警线索", "cases": "发案数"}
    charts.show(charts.trend_lines(_long(trend, counts), value_title="数量", title="线索与发案（条/起）"))
with right:
    money = {"intercepted_amount": "止付金额", "loss_amount": "损失金额"}
    charts.show(charts.trend_lines(_long(trend, money, 1 / 10000), value_title="万元", title="止付与损失（万元）"))
rates = {"face_to_face_rate": "见面劝阻率", "four_party_rate": "四方参与率", "three_clear_rate": "三清率"}
charts.show(charts.trend_lines(_long(trend, rates, 100), value_title="%", title="劝阻过程质量（%）"))

# -- the model year against the year before (district level, rolling 12-month sums of the mart) ----
st.subheader(f"“4+1”模式实施年同比（{f.district_name}）")
y1_months = data.read("months", columns=["month"], where={"model_year": "Y1"}, order_by=["month desc"], limit=1)
y1_end = None if y1_months.empty else y1_months["month"].iloc[0]
if fmt.is_missing(y1_end):
    st.info("暂无模式实施年（Y1）的数据。")
    st.stop()
y1_end = pd.Timestamp(y1_end).date()
y1 = kpi.month_row(f.district, "", y1_end)  # its rolling 12-month sums, a year earlier and their change
if y1 is None:
    st.info("暂无模式实施年（Y1）的数据。")
    st.stop()
y1_start = fmt.add_months(y1_end, -11)
st.caption(
    f"Y1 = {fmt.month_label(y1_start)}—{fmt.month_label(y1_end)}；Y0 = 前12个月。数值为各月合计（滚动12个月），"
    "同比取自数据仓库的滚动同比。"
)
story_metrics = (
    ("fund_leads", "资金预警线索（条）", "count"),
    ("loss_amount", "损失金额", "money"),
    ("leads", "全部预警线索（条）", "count"),
    ("cases", "发案数（起）", "count"),
)
columns = st.columns(len(story_metrics))
bars = []
for col, (measure, title, kind) in zip(columns, story_metrics, strict=True):
    cur12 = y1.get(f"{measure}_12m")
    prev12 = y1.get(f"{measure}_12m_prev_year")
    change = y1.get(f"{measure}_12m_yoy")
    change = None if fmt.is_missing(change) else float(change)
    shown = fmt.wan if kind == "money" else fmt.count
    with col:
        st.metric(f"Y1 {title}", shown(cur12), border=True)
        st.markdown(fmt.change_markdown("同比", change, unit="ratio", higher_is_better=False))
    if measure in ("fund_leads", "loss_amount"):
        scale = 1 / 10000 if kind == "money" else 1
        for year, value in (("Y0 实施前", prev12), ("Y1 实施年", cur12)):
            if not fmt.is_missing(value):
                bars.append({"指标": title.replace("损失金额", "损失金额（万元）"), "年度": year,
                             "数值": float(value) * scale, "标签": shown(value)})
if bars:
    charts.show(charts.year_compare(pd.DataFrame(bars), title="实施前后对比"))

rolling = kpi.scope_range(f.district, "", f.months[0], f.months[-1]) if f.months else pd.DataFrame()
rolling_yoy = {"fund_leads_12m_yoy": "资金预警线索", "loss_amount_12m_yoy": "损失金额"}
if not rolling.empty and set(rolling_yoy) <= set(rolling.columns):
    long = _long(rolling, rolling_yoy, 100).dropna(subset=["数值"])
    if not long.empty:
        charts.show(charts.trend_lines(long, value_title="同比（%）", title="滚动12个月同比（%）：负值为下降"))
