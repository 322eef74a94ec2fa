"""Headline cards: a value with its 同比 (vs the same month last year) and 环比 (vs the previous month).

同比 of counts and money is the mart's own `<m>_yoy` column; where the mart has none (rates, post-warning
victims) the card shows the difference between the two mart values (percentage points for rates).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from fanzha.core import fmt


@dataclass(frozen=True)
class Card:
    column: str
    label: str
    kind: str  # count | money | rate
    higher_is_better: bool
    yoy_column: str | None = None


HEADLINE_CARDS: tuple[Card, ...] = (
    Card("leads", "预警线索（条）", "count", False, "leads_yoy"),
    Card("fund_leads", "资金预警线索（条）", "count", False, "fund_leads_yoy"),
    Card("face_to_face_rate", "见面劝阻率", "rate", True),
    Card("four_party_rate", "四方参与率", "rate", True),
    Card("intercepted_amount", "止付金额", "money", True, "intercepted_amount_yoy"),
    Card("cases", "发案数（起）", "count", False, "cases_yoy"),
    Card("loss_amount", "损失金额", "money", False, "loss_amount_yoy"),
    Card("post_warning_victims", "预后被骗（人）", "count", False),
)


def _get(row: pd.Series | None, column: str) -> object:
    if row is None or column not in row.index:
        return None
    return row[column]


def value_text(card: Card, row: pd.Series | None) -> str:
    value = _get(row, card.column)
    if card.kind == "money":
        return fmt.wan(value)
    if card.kind == "rate":
        return fmt.pct(value)
    return fmt.count(value)


def changes(card: Card, cur: pd.Series | None, prev: pd.Series | None, last_year: pd.Series | None) -> tuple[str, str]:
    """Markdown for (同比, 环比)."""
    value = _get(cur, card.column)
    if card.kind == "rate":
        yoy = fmt.point_change(value, _get(last_year, card.column))
        mom = fmt.point_change(value, _get(prev, card.column))
        unit = "pp"
    elif card.yoy_column is not None:
        raw = _get(cur, card.yoy_column)
        yoy = None if fmt.is_missing(raw) else float(raw)  # type: ignore[arg-type]
        mom = fmt.relative_change(value, _get(prev, card.column))
        unit = "ratio"
    else:
        yoy = fmt.point_change(value, _get(last_year, card.column))
        mom = fmt.point_change(value, _get(prev, card.column))
        unit = "count"
    better = card.higher_is_better
    return (
        fmt.change_markdown("同比", yoy, unit=unit, higher_is_better=better),
        fmt.change_markdown("环比", mom, unit=unit, higher_is_better=better),
    )


def render(cards: tuple[Card, ...], cur: pd.Series | None, prev: pd.Series | None, last_year: pd.Series | None,
           per_row: int = 4) -> None:
    for start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for col, card in zip(columns, cards[start:start + per_row], strict=False):
            with col:
                st.metric(card.label, value_text(card, cur), border=True)
                yoy, mom = changes(card, cur, prev, last_year)
                st.markdown(f"{yoy}　{mom}")
