"""Headline cards: a value with its 同比 (vs the same month last year) and 环比 (vs the previous month).

Every figure on a card is a column of the KPI mart's row for the month (docs/contracts.md §4, macro
kpi_comparisons): counts and money show the relative changes `<m>_yoy` / `<m>_mom`; rates and the small
post-warning count show the differences `<m>_yoy_change` / `<m>_mom_change` (percentage points for rates).
The card only names the columns and formats them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from fanzha.core import fmt

# Per kind of card: (the unit fmt.change_text shows its changes in, the suffix of its mart change columns).
KINDS: dict[str, tuple[str, str]] = {
    "count": ("ratio", ""),        # leads_yoy, leads_mom: relative change
    "money": ("ratio", ""),        # loss_amount_yoy, …
    "rate": ("pp", "_change"),     # face_to_face_rate_yoy_change: difference in rate units
    "small_count": ("count", "_change"),  # post_warning_victims_yoy_change: difference in people
}


@dataclass(frozen=True)
class Card:
    column: str
    label: str
    kind: str  # count | money | rate | small_count
    higher_is_better: bool

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"card {self.column}: unknown kind {self.kind!r}")

    @property
    def unit(self) -> str:
        return KINDS[self.kind][0]

    @property
    def yoy_column(self) -> str:
        """The mart column holding the 同比 of this card's value."""
        return f"{self.column}_yoy{KINDS[self.kind][1]}"

    @property
    def mom_column(self) -> str:
        """The mart column holding the 环比 of this card's value."""
        return f"{self.column}_mom{KINDS[self.kind][1]}"


HEADLINE_CARDS: tuple[Card, ...] = (
    Card("leads", "预警线索（条）", "count", False),
    Card("fund_leads", "资金预警线索（条）", "count", False),
    Card("face_to_face_rate", "见面劝阻率", "rate", True),
    Card("four_party_rate", "四方参与率", "rate", True),
    Card("intercepted_amount", "止付金额", "money", True),
    Card("cases", "发案数（起）", "count", False),
    Card("loss_amount", "损失金额", "money", False),
    Card("post_warning_victims", "预后被骗（人）", "small_count", False),
)


def _number(row: pd.Series | None, column: str) -> float | None:
    if row is None or column not in row.index or fmt.is_missing(row[column]):
        return None
    return float(row[column])


def value_text(card: Card, row: pd.Series | None) -> str:
    value = _number(row, card.column)
    if card.kind == "money":
        return fmt.wan(value)
    if card.kind == "rate":
        return fmt.pct(value)
    return fmt.count(value)


def changes(card: Card, row: pd.Series | None) -> tuple[str, str]:
    """Markdown for (同比, 环比), read from the card's columns of the month's mart row."""
    better = card.higher_is_better
    return (
        fmt.change_markdown("同比", _number(row, card.yoy_column), unit=card.unit, higher_is_better=better),
        fmt.change_markdown("环比", _number(row, card.mom_column), unit=card.unit, higher_is_better=better),
    )


def columns(cards: tuple[Card, ...]) -> list[str]:
    """The mart columns the cards read (value, 同比, 环比 of each)."""
    return [c for card in cards for c in (card.column, card.yoy_column, card.mom_column)]


def render(cards: tuple[Card, ...], row: pd.Series | None, per_row: int = 4) -> None:
    for start in range(0, len(cards), per_row):
        slots = st.columns(per_row)
        for slot, card in zip(slots, cards[start:start + per_row], strict=False):
            with slot:
                st.metric(card.label, value_text(card, row), border=True)
                yoy, mom = changes(card, row)
                st.markdown(f"{yoy}　{mom}")
