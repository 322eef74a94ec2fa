"""案件分析: loss bands (share of cases vs share of loss), victims' profile, post-warning and repeat victims."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, data, downloads, filters
from dashboards.labels import (
    PERIOD_NAMES,
    PROFILE_DIMENSIONS,
    period_label,
)
from fanzha.core import fmt

f = filters.current()
periods = data.read("loss_bands", columns=["period"], where={"district_code": f.district}, distinct=True,
                    order_by=["period"])["period"].astype(str).tolist()
if not periods:
    st.title("案件分析")
    st.info(f"{f.district_name}没有案件统计数据。")
    st.stop()
special = [p for p in ("Y0+Y1", "Y0", "Y1") if p in periods]
periods = special + sorted((p for p in periods if p not in special), reverse=True)
period = filters.synced_select("统计期间", periods, "period", periods[0], period_label)
st.title(f"案件分析 · {f.district_name} · {period_label(period)}")
if period in PERIOD_NAMES:  # the model years' calendar comes from dim_months
    years = ("Y0", "Y1") if period == "Y0+Y1" else (period,)
    span = data.read("months", columns=["month"], where={"model_year": list(years)}, order_by=["month"])["month"]
    if not span.empty:
        st.caption(f"{PERIOD_NAMES[period]}（{fmt.month_label(pd.Timestamp(span.iloc[0]).date())}—"
                   f"{fmt.month_label(pd.Timestamp(span.iloc[-1]).date())}）")

# -- loss bands -------------------------------------------------------------------------------------
bands = data.read("loss_bands", columns=["loss_band_label", "cases", "case_share", "loss_amount", "loss_share"],
                  where={"district_code": f.district, "period": period}, order_by=["display_order"])
st.subheader("被骗金额区间：案件数占比与损失金额占比")
if bands.empty:
    st.info("该期间没有案件。")
else:
    names = bands["loss_band_label"].astype(str).tolist()
    long = pd.DataFrame({
        "金额区间": names * 2,
        "口径": ["案件数占比"] * len(bands) + ["损失金额占比"] * len(bands),
        "占比": list(bands["case_share"].astype(float)) + list(bands["loss_share"].astype(float)),
    })
    charts.show(charts.share_compare(long, title="小额案件多、大额案件损失重"))
    st.dataframe(pd.DataFrame({
        "金额区间": names, "案件数": bands["cases"].astype("Int64"),
        "案件数占比": [fmt.pct(v) for v in bands["case_share"]],
        "损失金额（万元）": [fmt.wan_number(v) for v in bands["loss_amount"]],
        "损失金额占比": [fmt.pct(v) for v in bands["loss_share"]],
    }), hide_index=True, column_config=charts.money_columns("损失金额（万元）"))

# -- victims' profile -------------------------------------------------------------------------------
profile = data.read("victim_profile", columns=["dimension", "category", "victims", "share", "loss_amount"],
                    where={"district_code": f.district, "period": period},
                    order_by=["dimension", "category_order", "victims desc", "category"])
st.subheader("受害人画像")
if profile.empty:
    st.info("该期间没有受害人画像数据。")
else:
    cols = st.columns(2)
    for i, (dim, title) in enumerate(PROFILE_DIMENSIONS.items()):
        part = profile[profile["dimension"] == dim]
        if part.empty:
            continue
        frame = pd.DataFrame({
            "类别": part["category"].astype(str),
            "人数": part["victims"].astype(float),
        })
        with cols[i % 2]:
            charts.show(charts.horizontal_bars(frame, category="类别", value="人数", title=title,
                                                   value_title="受害人数"))
    st.caption("职业和工作单位系统的聚集反映“同一单位或行业相互介绍被骗”的现象（医院、学校、学生、家庭妇女）。")

# -- post-warning and repeat victims (masked names only) ---------------------------------------------
if period == "Y0+Y1":
    when: dict[str, object] | None = {"model_year": ["Y0", "Y1"]}
elif period in ("Y0", "Y1"):
    when = {"model_year": period}
elif period.isdigit():
    when = {"year": int(period)}
else:
    when = None  # a period this page does not know: no victims listed
columns = ["occurred_at", "name_masked", "township_name", "village_name", "fraud_type", "loss_amount",
           "is_post_warning", "is_repeat_victim"]
victims = pd.DataFrame(columns=columns) if when is None else data.read(
    "notable_victims", columns=columns,
    where={"district_code": f.district, **when, **({"township_code": f.township} if f.township else {})},
    order_by=["occurred_at desc"],
)
st.subheader(f"预后被骗与重复被骗（{f.scope_name}）")
if victims.empty:
    st.success("该期间没有预后被骗或重复被骗的案件。")
else:
    listed = pd.DataFrame({
        "发案时间": pd.to_datetime(victims["occurred_at"]).dt.strftime("%Y-%m-%d"),
        "姓名": victims["name_masked"], "乡镇": victims["township_name"], "村（社区）": victims["village_name"],
        "诈骗类型": victims["fraud_type"], "损失（万元）": [fmt.wan_number(v) for v in victims["loss_amount"]],
        "类别": ["预后被骗" + ("、重复被骗" if r else "") if p else "重复被骗"
                 for p, r in zip(victims["is_post_warning"], victims["is_repeat_victim"], strict=True)],
    })
    st.dataframe(listed, hide_index=True, column_config=charts.money_columns("损失（万元）"))
    st.caption(f"预后被骗：被预警后365天内仍被骗；重复被骗：此前已有被骗案件。姓名已脱敏。{f.detail_note}")
    downloads.table_button(listed, dataset="notable_victims", file_name=f"预后被骗与重复被骗_{period}.csv",
                           key="download_victims", period=period, township=f.township)
