"""考核依据 on the 排名通报 and 单位详情 pages: which indicators were assessed on a unit's own data, and each
indicator's points against last month. Selects two assessment marts (assessment_unit_monthly,
score_unit_indicator_monthly) and formats them; it computes nothing (the numbers are the marts')."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboards import data
from fanzha.core import fmt

UNASSESSED = "本月无可考核事项"


def _value(value: Any, value_format: Any) -> str:
    """An indicator's value as the notice prints it: rates in %, counts whole, the rest 2 decimals."""
    if fmt.is_missing(value):
        return fmt.MISSING
    if value_format == "rate":
        return fmt.pct(value)
    if value_format == "count":
        return fmt.count(value)
    return f"{float(value):,.2f}"


def _points(value: Any, *, signed: bool = False) -> str:
    if fmt.is_missing(value):
        return fmt.MISSING
    return f"{float(value):+.2f}" if signed else f"{float(value):.2f}"


def show_evidence(month: date, kind: str, district: str) -> None:
    """Every unit of the kind this month: ranked or 本月无可考核事项, and on which indicators' own data."""
    st.subheader("考核依据：哪些指标以本单位数据考核")
    if not data.has_table("assessment_unit_monthly"):
        st.info("已发布的数据仓库没有考核依据表（assessment_unit_monthly），请重新运行 `fanzha run`。")
        return
    units = data.read(
        "assessment_units",
        columns=["unit_name", "is_assessed", "evidence_share", "evidence_threshold", "total_score", "assessed_on",
                 "not_assessed_on"],
        where={"month": month, "unit_kind": kind, "district_code": district},
        order_by=["is_assessed desc", "evidence_share desc", "unit_name"],
    )
    if units.empty:
        st.info("本月没有考核依据。")
        return
    threshold = units["evidence_threshold"].dropna()
    limit = fmt.pct(threshold.iloc[0], 0) if not threshold.empty else "半数"
    st.caption(f"只有以本单位当月数据为依据的指标计分，得分按这些指标折算为百分制；本单位数据支撑的权重不足{limit}的单位"
               f"列为“{UNASSESSED}”，不参与排名，不予表扬或批评。")
    assessed = units["is_assessed"].astype(bool)
    st.dataframe(pd.DataFrame({
        "单位": units["unit_name"],
        "考核状态": ["参与排名" if a else UNASSESSED for a in assessed],
        "本单位数据占比": [fmt.pct(v, 0) for v in units["evidence_share"]],
        "总分": [_points(s) if a else fmt.MISSING for s, a in zip(units["total_score"], assessed, strict=True)],
        "以本单位数据考核的指标": units["assessed_on"].fillna("无"),
        "无本单位数据、不计分的指标": units["not_assessed_on"].fillna("无"),
    }), hide_index=True)


def show_indicator_changes(unit: str, month: date) -> None:
    """The unit's points per indicator this month and last, and what each gained or lost."""
    st.subheader("各指标得分较上月增减")
    if not data.has_table("score_unit_indicator_monthly"):
        st.info("已发布的数据仓库没有逐项得分表（score_unit_indicator_monthly），请重新运行 `fanzha run`。")
        return
    rows = data.read(
        "indicator_scores",
        columns=["indicator_label", "evidence_label", "value_format", "raw_value", "raw_value_prev_month", "points",
                 "points_prev_month", "points_change", "is_assessed"],
        where={"unit_code": unit, "month": month},
        order_by=["weight desc", "indicator"],
    )
    if rows.empty:
        st.info("该单位本月没有评分明细。")
        return
    if not bool(rows["is_assessed"].iloc[0]):
        st.caption(f"该单位本月{UNASSESSED}（本单位数据支撑的权重不足），下列得分不参与排名。")
    st.caption("未以本单位数据考核的指标记0分；各项增减之和即总分较上月的变化（四舍五入前）。")
    st.dataframe(pd.DataFrame({
        "指标": rows["indicator_label"],
        "考核依据": rows["evidence_label"],
        "本月数值": [_value(v, f) for v, f in zip(rows["raw_value"], rows["value_format"], strict=True)],
        "上月数值": [_value(v, f) for v, f in zip(rows["raw_value_prev_month"], rows["value_format"], strict=True)],
        "本月得分": [_points(v) for v in rows["points"]],
        "上月得分": [_points(v) for v in rows["points_prev_month"]],
        "较上月增减": [_points(v, signed=True) for v in rows["points_change"]],
    }), hide_index=True)
