"""排名通报: the month's ranking per unit kind with scores, indicators, change and rank intervals; the notice."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, data, downloads, evidence, filters, notices
from dashboards.labels import UNIT_KINDS
from fanzha.core import fmt

f = filters.current()
kind_name = UNIT_KINDS[f.kind]
st.title(f"排名通报 · {kind_name} · {f.month_label}")
filters.require_month_data(f)
data.require_tables("ranking_unit_monthly", "score_unit_monthly")

ranking = data.read(
    "ranking",
    columns=["unit_code", "unit_name", "rank", "total_score", "score_change", "rank_prev_month", "rank_change",
             "is_commended", "is_criticised", "rank_p05", "rank_p95", "indistinguishable_from", "units_in_kind",
             "scheme_version"],
    where={"month": f.month, "unit_kind": f.kind, "district_code": f.district},
    order_by=["rank", "unit_name"],
)
if ranking.empty:
    st.info(f"{f.month_label}没有{kind_name}排名数据。")
    st.stop()

points = data.read("scores", columns=["unit_code", "indicator", "indicator_label", "points"],
                   where={"month": f.month, "unit_kind": f.kind, "district_code": f.district})


def _status(row: pd.Series) -> str:
    if bool(row["is_commended"]):
        return "通报表扬"
    if bool(row["is_criticised"]):
        return "通报批评"
    return ""


def _move(row: pd.Series) -> str:
    """The mart's rank_change (rank_prev_month − rank, positive = moved up) as an arrow; 新进 without last month."""
    step = row["rank_change"]
    if fmt.is_missing(step):
        return "新进"
    step = int(step)
    return f"↑{step}" if step > 0 else (f"↓{-step}" if step < 0 else "→")


table = pd.DataFrame({
    "名次": ranking["rank"].astype("Int64"),
    "单位": ranking["unit_name"],
    "总分": ranking["total_score"].round(2),
    "较上月得分": ranking["score_change"].round(2),
    "上月名次": ranking["rank_prev_month"].astype("Int64"),
    "名次变化": ranking.apply(_move, axis=1),
    "名次90%区间": [f"{int(a)}–{int(b)}" if not (fmt.is_missing(a) or fmt.is_missing(b)) else fmt.MISSING
                   for a, b in zip(ranking["rank_p05"], ranking["rank_p95"], strict=True)],
    "通报": ranking.apply(_status, axis=1),
})
if not points.empty:
    labels = dict(zip(points["indicator"], points["indicator_label"].fillna(points["indicator"]), strict=True))
    wide = points.pivot_table(index="unit_code", columns="indicator", values="points", aggfunc="first")
    wide.columns = [f"{labels.get(c, c)}（得分）" for c in wide.columns]
    table.index = ranking["unit_code"].to_numpy()
    table = table.join(wide.round(2)).reset_index(drop=True)
table["与之无法区分的单位"] = ranking["indistinguishable_from"].fillna("").astype(str).to_numpy()
st.subheader(f"{kind_name}排名（共{len(ranking)}个单位，评分方案 {ranking['scheme_version'].iloc[0]}）")
st.dataframe(table, hide_index=True)
downloads.table_button(table, dataset="ranking", file_name=f"{kind_name}排名_{fmt.month_key(f.month)}.csv",
                       key="download_ranking", month=fmt.month_key(f.month), kind=f.kind)

st.subheader("名次的不确定性")
intervals = pd.DataFrame({
    "单位": ranking["unit_name"], "名次": ranking["rank"].astype(float),
    "区间下限": ranking["rank_p05"].astype(float), "区间上限": ranking["rank_p95"].astype(float),
})
charts.show(charts.rank_intervals(intervals, title="名次及其90%区间（区间重叠的单位无法确切区分先后）"))

# -- the notice --------------------------------------------------------------------------------
st.subheader("月度通报")
scope = st.radio("通报范围", list(notices.SCOPES), format_func=notices.SCOPES.get, horizontal=True,
                 key="notice_scope")
month_key = fmt.month_key(f.month)
try:
    html = notices.preview(f.month, scope, "html", f.district)
except ImportError:
    st.info("通报生成模块（fanzha.notice）尚未安装，暂不能预览通报。")
except Exception as exc:  # the renderer belongs to another part: show its failure, keep the page
    if type(exc).__name__ == "NoDataForMonth":
        st.info(f"{f.month_label}没有可排名的单位，无法生成通报。")
    else:
        st.warning(f"通报生成失败：{exc}")
else:
    if f.scoped:
        st.caption(f"排名与全区概况对所有单位公开；典型止付案例仅列本账号范围（{f.own_name}）的记录。")
    with st.expander("通报预览", expanded=True):
        st.iframe(html.decode("utf-8"), height=640, alt="通报预览")
    columns = st.columns(len(notices.FORMATS))
    for col, (fmt_name, (label, mime)) in zip(columns, notices.FORMATS.items(), strict=True):
        with col:
            st.download_button(
                label, data=notices.notice_bytes(f.month, scope, fmt_name, f.district),
                file_name=notices.notice_file_name(f.month, scope, fmt_name), mime=mime, key=f"download_{fmt_name}",
                on_click=downloads.audit, args=("notice_export",),
                kwargs={"month": month_key, "kind": scope, "format": fmt_name, "revision": "草稿"},
            )

st.subheader("已印发通报及修订")
issued = notices.issued()
if not issued:
    st.info("尚未印发通报（运行 `fanzha run` 或 `fanzha notice` 后在此显示）。")
else:
    st.dataframe(
        pd.DataFrame({
            "月份": [fmt.month_label(r.month) for r in issued],
            "版本": [f"第{r.revision}版" for r in issued],
            "印发时间": [notices.issued_time(r.record) for r in issued],
            "评分方案": [str(r.record.get("scheme_version", fmt.MISSING)) for r in issued],
            "变化": [r.change_summary() for r in issued],
        }),
        hide_index=True,
    )
    names = [f"{fmt.month_label(r.month)} 第{r.revision}版" for r in issued]
    chosen = st.selectbox("选择已印发的通报", range(len(issued)), format_func=lambda i: names[i], key="issued_pick")
    revision = issued[chosen]
    if f.scoped:
        st.caption(f"下载的是本账号范围的版本：排名与全区概况与印发版相同，典型止付案例仅列{f.own_name}的记录。")
    columns = st.columns(len(notices.FORMATS))
    for col, (fmt_name, (label, mime)) in zip(columns, notices.FORMATS.items(), strict=True):
        content = notices.issued_bytes(revision, fmt_name)
        with col:
            if content is not None:
                st.download_button(label, data=content, file_name=f"{revision.month}_rev{revision.revision}_notice.{fmt_name}",
                                   mime=mime, key=f"issued_{fmt_name}", on_click=downloads.audit,
                                   args=("notice_export",), kwargs={"month": revision.month, "kind": "issued",
                                                                     "format": fmt_name, "revision": revision.revision})
            else:
                st.caption(f"无可下载的 notice.{fmt_name}")

# -- 考核依据 (issue #16): each unit's evidence, including the units not ranked -----------------------
evidence.show_evidence(f.month, f.kind, f.district)
