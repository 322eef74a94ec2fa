"""单位详情: one unit against the district, its trend, its villages and where its points were lost."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, data, evidence, filters, kpi
from dashboards.labels import MONEY_COLUMNS, RATE_COLUMNS, UNIT_KINDS, indicator_label
from fanzha.core import fmt

f = filters.current()
units = data.query(
    f"select unit_code, unit_name from {data.table('dim_units')} where unit_kind = ? and district_code = ? "
    "order by unit_code",
    (f.kind, f.district),
)
if units.empty:
    st.title("单位详情")
    st.info(f"{f.district_name}没有{UNIT_KINDS[f.kind]}。")
    st.stop()
names = dict(zip(units["unit_code"], units["unit_name"], strict=True))
default = f.township if (f.kind == "township" and f.township in names) else next(iter(names))
unit = filters.synced_select("单位", list(names), "unit", default, lambda c: names.get(c, c))
st.title(f"单位详情 · {names[unit]} · {f.month_label}")
filters.require_month_data(f)

cur, _prev, _last = kpi.around(f.district, unit, f.month)
district_row, _, _ = kpi.around(f.district, "", f.month)
if cur is None:
    st.info(f"{names[unit]}{f.month_label}没有数据。")
    st.stop()


def _show(column: str, value: object) -> str:
    if column in RATE_COLUMNS:
        return fmt.pct(value)
    if column in MONEY_COLUMNS:
        return fmt.wan(value)
    if column.endswith("_per_10k") or column.startswith("median_"):
        return fmt.MISSING if fmt.is_missing(value) else f"{float(value):,.2f}"  # type: ignore[arg-type]
    return fmt.count(value)


st.subheader("本单位与全区对比")
compared = ("face_to_face_rate", "four_party_rate", "three_clear_rate", "checklist_rate",
            "first_contact_within_60min_rate", "follow_up_rate", "dissuaded_rate", "intercepted_share",
            "median_minutes_to_first_contact", "cases_per_10k", "loss_per_10k", "activities_per_10k")
own = ("leads", "fund_leads", "cases", "loss_amount", "intercepted_amount", "post_warning_victims", "repeat_victims")
rows = [{"指标": indicator_label(c), "本单位": _show(c, cur.get(c)),
         "全区": _show(c, None if district_row is None else district_row.get(c))} for c in compared if c in cur.index]
rows += [{"指标": indicator_label(c), "本单位": _show(c, cur.get(c)),
          "全区": _show(c, None if district_row is None else district_row.get(c))} for c in own if c in cur.index]
st.dataframe(pd.DataFrame(rows), hide_index=True)

if f.kind == "township":
    st.subheader("所辖村（社区）本月情况")
    villages = data.query(
        f"select unit_name, leads, fund_leads, face_to_face_rate, four_party_rate, cases, loss_amount "
        f"from {data.table('kpi_unit_monthly')} where unit_kind = ? and township_code = ? and month = ? "
        "order by cases desc, leads desc, unit_name",
        ("village", unit, f.month),
    )
    if villages.empty:
        st.info("没有所辖村（社区）的数据。")
    else:
        st.dataframe(pd.DataFrame({
            "村（社区）": villages["unit_name"], "预警线索": villages["leads"], "资金预警线索": villages["fund_leads"],
            "见面劝阻率": [fmt.pct(v) for v in villages["face_to_face_rate"]],
            "四方参与率": [fmt.pct(v) for v in villages["four_party_rate"]],
            "发案数": villages["cases"], "损失（万元）": [fmt.wan_number(v) for v in villages["loss_amount"]],
        }), hide_index=True, column_config=charts.money_columns("损失（万元）"))

st.subheader("得分与名次趋势（近24个月）")
data.require_tables("ranking_unit_monthly", "score_unit_monthly")
history = data.query(
    f"select month, total_score, rank, units_in_kind from {data.table('ranking_unit_monthly')} "
    "where unit_code = ? and month between ? and ? order by month",
    (unit, fmt.add_months(f.month, -23), f.month),
)
if history.empty:
    st.info("该单位没有排名记录。")
else:
    long = pd.DataFrame({"月份": pd.to_datetime(history["month"]), "指标": "总分",
                         "数值": history["total_score"].astype(float)})
    charts.show(charts.trend_lines(long, value_title="总分", title="月度总分"))
    with st.expander("逐月得分与名次"):
        st.dataframe(pd.DataFrame({"月份": [fmt.month_label(m) for m in pd.to_datetime(history["month"])],
                                   "总分": history["total_score"].round(2),
                                   "名次": [f"{int(r)}/{int(n)}" for r, n in
                                            zip(history["rank"], history["units_in_kind"], strict=True)]}),
                     hide_index=True)

st.subheader("失分分析")
scores = data.query(
    f"select indicator, indicator_label, raw_value, normalised, weight_applied, points "
    f"from {data.table('score_unit_monthly')} where unit_code = ? and month = ? order by weight_applied desc, indicator",
    (unit, f.month),
)
if scores.empty:
    st.info("该单位本月没有评分明细。")
else:
    lost = pd.DataFrame({"指标": scores["indicator_label"].fillna(scores["indicator"]),
                         "权重": scores["weight_applied"].round(2), "得分": scores["points"].round(2),
                         "失分": (scores["weight_applied"] - scores["points"]).round(2),
                         "标准化值": scores["normalised"].round(3)}).sort_values("失分", ascending=False)
    charts.show(charts.lost_points(lost, title="各指标失分（实际权重 − 得分）"))
    st.dataframe(lost, hide_index=True)

# -- 各指标得分较上月增减 (issue #16) -----------------------------------------------------------------
evidence.show_indicator_changes(unit, f.month)
