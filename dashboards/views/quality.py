"""数据质量: freshness of each feed, the last publish record, quarantined rows, expectation results."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboards import charts, data
from dashboards.labels import FEEDS, QUARANTINE_REASONS, label
from fanzha.core import fmt

st.title("数据质量")


def _when(value: object) -> str:
    if fmt.is_missing(value):
        return fmt.MISSING
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


# -- last publish ---------------------------------------------------------------------------------
st.subheader("最近一次发布")
record = None
if data.has_table("fanzha_publish"):
    published = data.read("publish_record", order_by=["published_at desc"], limit=1)
    record = None if published.empty else published.iloc[0]
if record is None:
    st.info("数据仓库中没有发布记录（未经 `fanzha run` 发布）。")
else:
    cols = st.columns(3)
    cols[0].metric("发布时间", _when(record["published_at"]), border=True)
    cols[1].metric("运行编号", str(record["run_id"]), border=True)
    cols[2].metric("评分方案", str(record.get("scheme_version", fmt.MISSING)), border=True)
    st.caption(f"代码版本 {record.get('code_version', fmt.MISSING)} · 输入指纹 {record.get('input_fingerprint', fmt.MISSING)}")

# -- feed freshness --------------------------------------------------------------------------------
st.subheader("各数据源时效")
fresh = data.read("feed_freshness", columns=["feed", "latest_record_at", "latest_file_loaded_at", "files", "rows_landed",
                                             "rows_quarantined"], order_by=["feed"])
if fresh.empty:
    st.info("没有数据源记录。")
else:
    order = {feed: i for i, feed in enumerate(FEEDS)}
    fresh = fresh.assign(o=fresh["feed"].map(order).fillna(len(order))).sort_values(["o", "feed"])
    st.dataframe(pd.DataFrame({
        "数据源": [label(FEEDS, x) for x in fresh["feed"]],
        "最新记录时间": [_when(v) for v in fresh["latest_record_at"]],
        "最近导入时间": [_when(v) for v in fresh["latest_file_loaded_at"]],
        "文件数": fresh["files"], "入库行数": fresh["rows_landed"], "隔离行数": fresh["rows_quarantined"],
    }), hide_index=True)

# -- quarantine -------------------------------------------------------------------------------------
st.subheader("隔离数据（按原因）")
quarantine = data.read("quarantine_summary", columns=["feed", "reason_code", "field", "rows", "total_rows"],
                       order_by=["rows desc", "feed", "reason_code", "field"])
if quarantine.empty:
    st.success("没有被隔离的数据行。")
else:
    by_reason = data.read("quarantine_summary", columns=["reason_code", "reason_rows"], distinct=True,
                          order_by=["reason_rows desc", "reason_code"])
    frame = pd.DataFrame({"原因": [label(QUARANTINE_REASONS, r) for r in by_reason["reason_code"]],
                          "行数": by_reason["reason_rows"].astype(float)})
    charts.show(charts.horizontal_bars(frame, category="原因", value="行数", title="隔离行数",
                                           value_title="行数"))
    st.dataframe(pd.DataFrame({
        "数据源": [label(FEEDS, x) for x in quarantine["feed"]],
        "原因": [label(QUARANTINE_REASONS, r) for r in quarantine["reason_code"]],
        "字段": quarantine["field"], "行数": quarantine["rows"],
    }), hide_index=True)
    st.caption(f"共隔离 {fmt.count(quarantine['total_rows'].iloc[0])} 行；被隔离的行不计入任何指标。")

# -- expectation results ----------------------------------------------------------------------------
st.subheader("数据质量检查结果")


def _results(raw: object) -> list[dict[str, object]]:
    if fmt.is_missing(raw) or raw in ("", None):
        return []
    try:
        parsed = json.loads(str(raw))
    except json.JSONDecodeError:
        return []
    if isinstance(parsed, dict):
        parsed = parsed.get("results", [])
    return [r for r in parsed if isinstance(r, dict)] if isinstance(parsed, list) else []


results = _results(None if record is None else record.get("expectations_json"))
if not results:
    st.info("发布记录中没有检查结果。")
else:
    checks = pd.DataFrame(results)
    passed = int(checks["success"].astype(bool).sum()) if "success" in checks else 0
    cols = st.columns(3)
    cols[0].metric("检查项", f"{len(checks)}", border=True)
    cols[1].metric("通过", f"{passed}", border=True)
    cols[2].metric("未通过", f"{len(checks) - passed}", border=True)
    shown = pd.DataFrame({
        "检查集": checks.get("suite"), "表": checks.get("table"), "检查": checks.get("expectation"),
        "级别": [{"critical": "严重", "warning": "警告"}.get(str(s), str(s)) for s in checks.get("severity", [])],
        "结果": ["通过" if bool(s) else "未通过" for s in checks.get("success", [])],
        "异常行数": checks.get("unexpected_count"),
    })
    st.dataframe(shown.sort_values("结果"), hide_index=True)
