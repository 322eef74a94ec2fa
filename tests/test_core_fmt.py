"""Display formatting of the dashboard: 万元, %, 同比/环比 arrows and colours, Chinese month labels."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from fanzha.core import fmt


def test_money_in_wan_yuan_with_two_decimals() -> None:
    assert fmt.wan(11042800) == "1,104.28 万元"  # the article's 拦截金额 1104.28万元
    assert fmt.wan(132000) == "13.20 万元"
    assert fmt.wan(None) == fmt.MISSING
    assert fmt.wan(float("nan")) == fmt.MISSING
    assert fmt.wan_number(98765.4) == 9.88


def test_rates_in_percent() -> None:
    assert fmt.pct(0.741) == "74.1%"
    assert fmt.pct(1.0) == "100.0%"
    assert fmt.pct(pd.NA) == fmt.MISSING


def test_chinese_month_labels_and_url_keys() -> None:
    assert fmt.month_label(date(2023, 11, 1)) == "2023年11月"
    assert fmt.month_label("2023-03") == "2023年3月"
    assert fmt.month_key(date(2023, 3, 1)) == "2023-03"
    assert fmt.parse_month_key("2023-11") == date(2023, 11, 1)
    for bad in ("", None, "2023-13", "2023/11", "abc", "2023-1-1"):
        assert fmt.parse_month_key(bad) is None
    assert fmt.add_months(date(2024, 2, 1), -12) == date(2023, 2, 1)
    assert fmt.add_months(date(2024, 1, 1), -1) == date(2023, 12, 1)


@pytest.mark.parametrize(
    ("change", "unit", "text"),
    [(-0.869, "ratio", "↓ 86.9%"), (0.25, "ratio", "↑ 25.0%"), (0.05, "pp", "↑ 5.0个百分点"),
     (0.0, "count", "→ 0"), (-2.0, "count", "↓ 2"), (None, "ratio", "无可比数据")],
)
def test_change_text_has_arrow_and_size(change: float | None, unit: str, text: str) -> None:
    assert fmt.change_text(change, unit=unit) == text


def test_colour_follows_whether_the_change_is_good() -> None:
    assert fmt.change_colour(-0.869, higher_is_better=False) == "green"  # fewer leads: good
    assert fmt.change_colour(0.1, higher_is_better=False) == "red"
    assert fmt.change_colour(0.1, higher_is_better=True) == "green"  # more face-to-face: good
    assert fmt.change_colour(None, higher_is_better=True) == "gray"
    assert fmt.change_markdown("同比", -0.5, unit="ratio", higher_is_better=False) == "同比 :green[↓ 50.0%]"
