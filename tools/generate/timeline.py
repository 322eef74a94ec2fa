"""The scenario calendar, exact quotas per month and random instants inside a month (vectorised)."""

from __future__ import annotations

import numpy as np
import pandas as pd

SCENARIO_START = pd.Period("2022-03", "M")
SCENARIO_END = pd.Period("2024-06", "M")
Y1_START = pd.Period("2023-03", "M")
POST_START = pd.Period("2024-03", "M")
MONTHS = pd.period_range(SCENARIO_START, SCENARIO_END, freq="M")
Y0_MONTHS = MONTHS[:12]
Y1_MONTHS = MONTHS[12:24]
POST_MONTHS = MONTHS[24:]


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an exact total over buckets proportionally to weights (largest remainder)."""
    w = np.asarray(weights, float)
    share = w / w.sum() * total
    counts = np.floor(share).astype(int)
    short = total - counts.sum()
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[:short]] += 1
    return counts


def noisy(n: int, rng: np.random.Generator, trend: float = 0.0, noise: float = 0.12) -> np.ndarray:
    """Monthly weights: exp(trend * i) with multiplicative noise."""
    return np.exp(trend * np.arange(n)) * rng.uniform(1 - noise, 1 + noise, n)


def instants(months: pd.PeriodIndex | np.ndarray, rng: np.random.Generator, day_hours: tuple[int, int] = (7, 22)) -> pd.DatetimeIndex:
    """A random second inside each month, mostly during waking hours."""
    months = pd.PeriodIndex(months, freq="M")
    start = months.to_timestamp(how="start")
    days = months.days_in_month.to_numpy()
    n = len(months)
    day = (rng.random(n) * days).astype(int)
    hour = rng.integers(day_hours[0], day_hours[1], n)
    sec = rng.integers(0, 3600, n)
    return pd.DatetimeIndex(start + pd.to_timedelta(day * 86400 + hour * 3600 + sec, unit="s"))


def month_end(ts: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The first instant of the next month."""
    return ts.to_period("M").to_timestamp(how="start") + pd.offsets.MonthBegin(1)


def period_of(months: pd.PeriodIndex) -> np.ndarray:
    """'Y0' / 'Y1' / 'post' for each month."""
    return np.where(months < Y1_START, "Y0", np.where(months < POST_START, "Y1", "post"))
