"""单位详情: one unit against the district, its trend, its villages and where its points were lost."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, data, downloads, evidence, filters, kpi
from dashboards.labels import MONEY_COLUMNS, RATE_COLUMNS, UNIT_KINDS, indicator_label
from fanzha.core import fmt

f = filters.current()
own = data.read("own_units", columns=["unit_code", "unit_name", "unit_kind"], where={"district_code": f.district},
                order_by=["unit_code"])  # every unit for the committee and analysts, a user's own units otherwise
kinds = [k for k in UNIT_KINDS if k in set(own["unit_kind"])]
if not kinds:
    st.title("单位详情")
    st.info(f"{f.district_name}没有本账号可查看的单位。")
    st.stop()
kind = f.kind if f.kind in kinds else kinds[0]
units = own[own["unit_kind"] == kind]
names = dict(zip(units["unit_code"], units["unit_name"], strict=True))
default = f.township if (kind == "township" and f.township in names) else next(iter(names))
unit = filters.synced_select("单位", list(names), "unit", default, lambda c: names.get(c, c))
st.title(f"单位详情 · {names[unit]} · {f.month_label}")
if kind != f.kind:  # the kind chosen in the sidebar has no unit this account may see
    st.caption(f"本账号可查看的是{UNIT_KINDS[kind]}（{data.scope_name()}）的详情。")
filters.require_month_data(f)

cur = kpi.month_row(f.district, unit, f.month)
district_row = kpi.month_row(f.district, "", f.month)
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

if kind == "township":
    st.subheader("所辖村（社区）本月情况")
    villages = data.read(
        "village_kpis",
        columns=["unit_name", "leads", "fund_leads", "face_to_face_rate", "four_party_rate", "cases", "loss_amount"],
        where={"township_code": unit, "month": f.month}, order_by=["cases desc", "leads desc", "unit_name"],
    )
    if villages.empty:
        st.info("没有所辖村（社区）的数据。")
    else:
        table = pd.DataFrame({
            "村（社区）": villages["unit_name"], "预警线索": villages["leads"], "资金预警线索": villages["fund_leads"],
            "见面劝阻率": [fmt.pct(v) for v in villages["face_to_face_rate"]],
            "四方参与率": [fmt.pct(v) for v in villages["four_party_rate"]],
            "发案数": villages["cases"], "损失（万元）": [fmt.wan_number(v) for v in villages["loss_amount"]],
        })
        st.dataframe(table, hide_index=True, column_config=charts.money_columns("损失（万元）"))
        downloads.table_button(table, dataset="village_kpis", file_name=f"{names[unit]}_所辖村_{fmt.month_key(f.month)}.csv",
                               key="download_villages", unit=unit, month=fmt.month_key(f.month))

st.subheader("得分与名次趋势（近24个月）")
data.require_tables("ranking_unit_monthly", "score_unit_monthly")
history = data.read("ranking", columns=["month", "total_score", "rank", "units_in_kind"],
                    where={"unit_code": unit, "month": data.Between(fmt.add_months(f.month, -23), f.month)},
                    order_by=["month"])
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
scores = data.read("scores", columns=["indicator", "indicator_label", "normalised", "weight_applied", "points",
                                       "points_lost"],
                   where={"unit_code": unit, "month": f.month},
                   order_by=["points_lost desc", "weight_applied desc", "indicator"])  # no own data (null) last
if scores.empty:
    st.info("该单位本月没有评分明细。")
else:
    lost = pd.DataFrame({"指标": scores["indicator_label"].fillna(scores["indicator"]),
                         "权重": scores["weight_applied"].round(2), "得分": scores["points"].round(2),
                         "失分": scores["points_lost"].round(2), "标准化值": scores["normalised"].round(3)})
    charts.show(charts.lost_points(lost, title="各指标失分（实际权重 − 得分；无本单位数据的指标不计分也不失分）"))
    st.dataframe(lost, hide_index=True)

# -- 各指标得分较上月增减 (issue #16) -----------------------------------------------------------------
evidence.show_indicator_changes(unit, f.month)
