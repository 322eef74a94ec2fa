"""预警处置: the handling funnel of the month's fund-warning leads, time to first contact, overdue leads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, data, downloads, filters, kpi
from fanzha.core import fmt

OVERDUE_MINUTES = 60
BINS = [-0.5, 10, 30, 60, 120, 24 * 60, float("inf")]
BIN_LABELS = ["10分钟内", "10-30分钟", "30-60分钟", "1-2小时", "2-24小时", "超过24小时"]

f = filters.current()
st.title(f"预警处置 · {f.scope_name} · {f.month_label}")
filters.require_month_data(f)

cur, _, _ = kpi.around(f.district, f.township, f.month)
if cur is None or fmt.is_missing(cur.get("fund_leads")) or int(cur["fund_leads"]) == 0:
    st.info(f"{f.scope_name}{f.month_label}没有资金预警线索。")
    st.stop()

n = int(cur["fund_leads"])
# (stage, the mart's count of the month's fund leads at that stage, the mart's rate over fund_leads or None)
stages = (("下发", "fund_leads", None), ("已劝阻", "fund_leads_contacted", None),
          ("见面劝阻", "fund_leads_face_to_face", "face_to_face_rate"),
          ("四方参与", "fund_leads_four_party", "four_party_rate"),
          ("三清", "fund_leads_three_clear", "three_clear_rate"),
          ("劝阻成功", "fund_leads_dissuaded", "dissuaded_rate"))
rows = []
for name, count_column, rate_column in stages:
    people = int(cur[count_column])
    share = people / n if rate_column is None else cur.get(rate_column)  # 下发, 已劝阻: no rate column
    share = None if fmt.is_missing(share) else float(share)
    rows.append({"环节": name, "人数": people, "占比": share,
                 "标签": f"{fmt.count(people)}（{fmt.pct(share)}）"})
funnel = pd.DataFrame(rows)
st.subheader(f"资金预警线索处置漏斗（本月下发 {n} 条）")
charts.show(charts.funnel(funnel, title="下发 → 已劝阻 → 见面 → 四方参与 → 三清 → 劝阻成功"))
st.caption("比例均以本月下发的资金预警线索为分母，统计该线索的全部劝阻记录（无论发生在哪个月）。")

scope_filter = {"township_code": f.township} if f.township else {}
leads = data.read(
    "leads",
    columns=["alert_id", "issued_at", "contacted", "minutes_to_first_contact", "township_name", "village_name"],
    where={"month": f.month, "district_code": f.district, "is_fund_warning": True, **scope_filter},
    order_by=["issued_at", "alert_id"],
)

st.subheader("首次劝阻用时分布")
if f.detail_note:
    st.caption(f.detail_note)
median = cur.get("median_minutes_to_first_contact")
within = cur.get("first_contact_within_60min_rate")
left, right = st.columns(2)
left.metric("首次劝阻用时中位数", fmt.MISSING if fmt.is_missing(median) else f"{float(median):.0f} 分钟", border=True)
right.metric("60分钟内首次劝阻率", fmt.pct(within), border=True)
minutes = leads["minutes_to_first_contact"].dropna().astype(float)
if minutes.empty:
    st.info("本月没有已劝阻的资金预警线索。")
else:
    binned = pd.cut(minutes, bins=BINS, labels=BIN_LABELS).value_counts().reindex(BIN_LABELS, fill_value=0)
    hist = pd.DataFrame({"区间": BIN_LABELS, "线索数": binned.to_numpy()})
    charts.show(charts.histogram(hist, title="从线索下发到首次劝阻的用时"))

st.subheader(f"逾期线索（未劝阻或首次劝阻超过{OVERDUE_MINUTES}分钟）")
late = leads[(~leads["contacted"].fillna(False).astype(bool))
             | (leads["minutes_to_first_contact"].astype(float) > OVERDUE_MINUTES)]
if late.empty:
    st.success("本月没有逾期线索。")
else:
    overdue = pd.DataFrame({
        "线索编号": late["alert_id"],
        "下发时间": pd.to_datetime(late["issued_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        "乡镇": late["township_name"], "村（社区）": late["village_name"],
        "首次劝阻用时（分钟）": [fmt.MISSING if fmt.is_missing(v) else f"{float(v):.0f}"
                               for v in late["minutes_to_first_contact"]],
        "状态": ["未劝阻" if not bool(c) else "超时" for c in late["contacted"].fillna(False)],
    })
    st.dataframe(overdue, hide_index=True)
    st.caption(f"共 {len(late)} 条逾期线索。{f.detail_note}")
    downloads.table_button(overdue, dataset="leads", file_name=f"逾期线索_{fmt.month_key(f.month)}.csv",
                           key="download_overdue", month=fmt.month_key(f.month), township=f.township)
