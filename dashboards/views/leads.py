"""预警处置: the handling funnel of the month's fund-warning leads, time to first contact, overdue leads.

Every figure is the marts': the funnel's counts and shares are kpi columns (`fund_leads_<stage>` and the
stage's rate over fund_leads), the first-contact time buckets and the overdue flag are fct_alerts columns
(`first_contact_bucket_label` / `_order`, `is_overdue_first_contact`; the deadline is dbt var
first_contact_deadline_minutes). The page selects, filters, counts the rows it lists and formats.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, data, downloads, filters, kpi
from fanzha.core import fmt

f = filters.current()
st.title(f"预警处置 · {f.scope_name} · {f.month_label}")
filters.require_month_data(f)

cur = kpi.month_row(f.district, f.township, f.month)
if cur is None or fmt.is_missing(cur.get("fund_leads")) or int(cur["fund_leads"]) == 0:
    st.info(f"{f.scope_name}{f.month_label}没有资金预警线索。")
    st.stop()

n = int(cur["fund_leads"])
# (stage, the mart's count of the month's fund leads at that stage, the mart's share of fund_leads; 下发 is the
# denominator itself, 100 % by definition)
stages = (("下发", "fund_leads", None), ("已劝阻", "fund_leads_contacted", "contacted_rate"),
          ("见面劝阻", "fund_leads_face_to_face", "face_to_face_rate"),
          ("四方参与", "fund_leads_four_party", "four_party_rate"),
          ("三清", "fund_leads_three_clear", "three_clear_rate"),
          ("劝阻成功", "fund_leads_dissuaded", "dissuaded_rate"))
rows = []
for name, count_column, rate_column in stages:
    people = int(cur[count_column])
    share = 1.0 if rate_column is None else cur.get(rate_column)
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
    columns=["alert_id", "issued_at", "contacted", "minutes_to_first_contact", "is_overdue_first_contact",
             "first_contact_bucket_label", "first_contact_bucket_order", "township_name", "village_name"],
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
contacted = leads.dropna(subset=["first_contact_bucket_label"])
if contacted.empty:
    st.info("本月没有已劝阻的资金预警线索。")
else:
    buckets = data.read("first_contact_buckets", order_by=["first_contact_bucket_order"])  # every bucket, in order
    listed = contacted["first_contact_bucket_label"].value_counts()  # how many of the listed leads fall in each
    hist = pd.DataFrame({"区间": buckets["first_contact_bucket_label"],
                         "线索数": [int(listed.get(label, 0)) for label in buckets["first_contact_bucket_label"]]})
    charts.show(charts.histogram(hist, title="从线索下发到首次劝阻的用时"))

st.subheader("逾期线索（未劝阻或首次劝阻超过60分钟）")
late = leads[leads["is_overdue_first_contact"].astype(bool)]
if late.empty:
    st.success("本月没有逾期线索。")
else:
    overdue = pd.DataFrame({
        "线索编号": late["alert_id"],
        "下发时间": pd.to_datetime(late["issued_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        "乡镇": late["township_name"], "村（社区）": late["village_name"],
        "首次劝阻用时（分钟）": [fmt.MISSING if fmt.is_missing(v) else f"{float(v):.0f}"
                               for v in late["minutes_to_first_contact"]],
        "状态": ["超时" if bool(c) else "未劝阻" for c in late["contacted"].fillna(False)],
    })
    st.dataframe(overdue, hide_index=True)
    st.caption(f"共 {len(late)} 条逾期线索。{f.detail_note}")
    downloads.table_button(overdue, dataset="leads", file_name=f"逾期线索_{fmt.month_key(f.month)}.csv",
                           key="download_overdue", month=fmt.month_key(f.month), township=f.township)
