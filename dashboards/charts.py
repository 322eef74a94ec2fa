"""Altair chart builders (pure: a DataFrame in, a chart out). All axis titles and legends in Chinese."""

from __future__ import annotations

import altair as alt
import pandas as pd

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
GOOD, BAD, NEUTRAL = "#2e7d32", "#c62828", "#1f77b4"


def _style(chart: alt.Chart) -> alt.Chart:
    return (
        chart.configure_axis(labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12,
                             gridColor="#e6e6e6", domainColor="#999999")
        .configure_legend(labelFont=FONT, titleFont=FONT, labelFontSize=12)
        .configure_title(font=FONT, fontSize=14, anchor="start")
        .configure_text(font=FONT)
        .configure_view(stroke=None)
    )


def money_columns(*names: str) -> dict[str, object]:
    """st.dataframe column_config showing 万元 columns with two decimals."""
    import streamlit as st

    return {name: st.column_config.NumberColumn(name, format="%.2f") for name in names}


def show(chart: alt.Chart) -> None:
    """Draw a chart across the page with its own sizes and styling.

    Streamlit's chart theme squeezes layered charts with a discrete axis to a few pixels, so our charts
    carry their own configuration (Chinese fonts, light grid) and the theme is off.
    """
    import streamlit as st

    st.altair_chart(chart, width="stretch", theme=None)


def trend_lines(df: pd.DataFrame, *, value_title: str, title: str) -> alt.Chart:
    """Long frame with columns 月份 (datetime), 指标, 数值 -> one line per 指标."""
    months = df["月份"].nunique()
    step = 1 if months <= 8 else (3 if months <= 30 else 6)
    axis = alt.Axis(format="%Y年%m月", labelAngle=-45, tickCount={"interval": "month", "step": step})
    chart = (
        alt.Chart(df, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("月份:T", title="月份", axis=axis),
            y=alt.Y("数值:Q", title=value_title),
            color=alt.Color("指标:N", title="指标"),
            tooltip=[alt.Tooltip("月份:T", format="%Y年%m月"), "指标:N", alt.Tooltip("数值:Q", format=",.2f")],
        )
        .properties(height=280)
    )
    return _style(chart)


def year_compare(df: pd.DataFrame, *, title: str) -> alt.Chart:
    """Frame with 指标, 年度, 数值, 标签 -> grouped bars per 指标, one bar per 年度."""
    base = alt.Chart(df).encode(
        x=alt.X("年度:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("数值:Q", title="数值"),
        color=alt.Color("年度:N", title="年度", sort=None),
        tooltip=["指标:N", "年度:N", "标签:N"],
    )
    bars = base.mark_bar()
    text = base.mark_text(dy=-8).encode(text="标签:N")
    chart = (
        alt.layer(bars, text, data=df)
        .properties(width=220, height=240)
        .facet(column=alt.Column("指标:N", title=None, sort=df["指标"].drop_duplicates().tolist()))
        .resolve_scale(y="independent")
        .properties(title=title)
    )
    return _style(chart)


def rank_intervals(df: pd.DataFrame, *, title: str) -> alt.Chart:
    """Frame with 单位, 名次, 区间下限, 区间上限 (rank_p05 / rank_p95): the uncertainty of each unit's rank.

    Units whose bars overlap cannot be told apart by the data.
    """
    order = df.sort_values("名次")["单位"].tolist()
    y = alt.Y("单位:N", sort=order, title=None)
    height = max(160, 28 * len(df))
    top = max(float(df["区间上限"].max()), float(df["名次"].max()), 1.0)
    x_scale = alt.Scale(domain=[0.5, top + 0.5], nice=False, zero=False)
    band = alt.Chart(df, height=height).mark_rule(strokeWidth=8, opacity=0.35, color=NEUTRAL).encode(
        y=y,
        x=alt.X("区间下限:Q", title="名次（点 = 本月名次，条 = 90%区间）", scale=x_scale,
                axis=alt.Axis(tickMinStep=1, format="d")),
        x2="区间上限:Q",
        tooltip=["单位:N", "名次:Q", "区间下限:Q", "区间上限:Q"],
    )
    point = alt.Chart(df, height=height).mark_point(filled=True, size=80, color=NEUTRAL).encode(
        y=y, x=alt.X("名次:Q", scale=x_scale), tooltip=["单位:N", "名次:Q", "区间下限:Q", "区间上限:Q"]
    )
    chart = alt.layer(band, point).properties(title=title)
    return _style(chart)


def horizontal_bars(
    df: pd.DataFrame, *, category: str, value: str, title: str, value_title: str, fmt: str = ",.0f"
) -> alt.Chart:
    order = df[category].tolist()
    base = alt.Chart(df, title=title, height=max(140, 26 * len(df))).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(tickMinStep=1) if fmt.endswith("0f") else alt.Axis()),
        tooltip=[f"{category}:N", alt.Tooltip(f"{value}:Q", format=fmt)],
    )
    chart = alt.layer(
        base.mark_bar(color=NEUTRAL), base.mark_text(align="left", dx=3).encode(text=alt.Text(f"{value}:Q", format=fmt))
    )
    return _style(chart)


def funnel(df: pd.DataFrame, *, title: str) -> alt.Chart:
    """Frame with 环节, 人数, 占比 (share of fund leads) in funnel order."""
    order = df["环节"].tolist()
    base = alt.Chart(df, title=title, height=260).encode(
        y=alt.Y("环节:N", sort=order, title=None),
        x=alt.X("人数:Q", title="资金预警线索数"),
        tooltip=["环节:N", "人数:Q", alt.Tooltip("占比:Q", format=".1%")],
    )
    chart = alt.layer(
        base.mark_bar(color=GOOD),
        base.mark_text(align="left", dx=3).encode(text=alt.Text("标签:N")),
    )
    return _style(chart)


def histogram(df: pd.DataFrame, *, title: str) -> alt.Chart:
    """Frame with 区间 (ordered labels) and 线索数."""
    order = df["区间"].tolist()
    base = alt.Chart(df, title=title, height=260).encode(
        x=alt.X("区间:N", sort=order, title="首次劝阻用时", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("线索数:Q", title="线索数"),
        tooltip=["区间:N", "线索数:Q"],
    )
    return _style(alt.layer(base.mark_bar(color=NEUTRAL), base.mark_text(dy=-8).encode(text="线索数:Q")))


def share_compare(df: pd.DataFrame, *, title: str) -> alt.Chart:
    """Frame with 金额区间, 口径 (案件数占比 / 损失金额占比), 占比 -> grouped bars as in the article."""
    order = df["金额区间"].drop_duplicates().tolist()
    base = alt.Chart(df, title=title, height=300).encode(
        x=alt.X("金额区间:N", sort=order, title="被骗金额区间", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("口径:N"),
        y=alt.Y("占比:Q", title="占比", axis=alt.Axis(format="%")),
        color=alt.Color("口径:N", title="口径"),
        tooltip=["金额区间:N", "口径:N", alt.Tooltip("占比:Q", format=".1%")],
    )
    chart = alt.layer(base.mark_bar(), base.mark_text(dy=-8).encode(text=alt.Text("占比:Q", format=".1%")))
    return _style(chart)


def lost_points(df: pd.DataFrame, *, title: str) -> alt.Chart:
    """Frame with 指标, 失分 -> where a unit's points were lost."""
    return horizontal_bars(df, category="指标", value="失分", title=title, value_title="失分", fmt=",.2f")
