"""Reported cases (案件): exact band quotas per period, losses summing exactly to the band totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.generate import quotas, timeline


def band_losses(n: int, total: int, lo: int, hi: int, rng: np.random.Generator) -> np.ndarray:
    """n integer losses in [lo, hi] summing exactly to total, right-skewed like real losses."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    mean = (total / n - lo) / (hi - lo)
    v = lo + rng.beta(mean * 2.5, (1 - mean) * 2.5, n) * (hi - lo)
    for _ in range(100):  # move the sum onto the total, proportionally, inside the band
        deficit = total - v.sum()
        if abs(deficit) < 0.5:
            break
        room = (hi - v) if deficit > 0 else (v - lo)
        v = np.clip(v + deficit * room / room.sum(), lo, hi)
    out = np.clip(np.round(v / 10) * 10, lo, hi).astype(np.int64)
    residual = int(total - out.sum())
    j = 0
    while residual != 0:  # spread the rounding residual over the elements
        k = j % n
        step = int(np.clip(residual, lo - out[k], hi - out[k]))
        out[k] += step
        residual -= step
        j += 1
    return out


def skeleton(rng: np.random.Generator) -> pd.DataFrame:
    """Case events with month, band, loss, occurred/reported times and the victim's target age."""
    frames = []
    for period, months, trend in (("Y0", timeline.Y0_MONTHS, 0.0), ("Y1", timeline.Y1_MONTHS, -0.07)):
        bands, losses = [], []
        for (p, band), (count, total) in quotas.CASE_BANDS.items():
            if p != period:
                continue
            lo, hi = quotas.BAND_BOUNDS[band]
            bands += [band] * count
            losses.append(band_losses(count, total, lo, hi, rng))
        n = len(bands)
        order = rng.permutation(n)
        per_month = timeline.allocate(n, timeline.noisy(len(months), rng, trend))
        frames.append(pd.DataFrame({
            "period": period,
            "month": np.repeat(months, per_month),
            "loss_band": np.array(bands)[order],
            "loss_amount": np.concatenate(losses)[order],
        }))
    n_post = quotas.POST_CASES_PER_MONTH * len(timeline.POST_MONTHS)
    post_loss = np.round(rng.lognormal(8.6, 1.1, n_post) / 10) * 10 + 200
    frames.append(pd.DataFrame({
        "period": "post",
        "month": np.repeat(timeline.POST_MONTHS, timeline.allocate(n_post, timeline.noisy(len(timeline.POST_MONTHS), rng))),
        "loss_band": "",
        "loss_amount": post_loss.astype(np.int64),
    }))
    cases = pd.concat(frames, ignore_index=True)
    n = len(cases)
    cases["occurred_at"] = timeline.instants(cases["month"].to_numpy(), rng, (0, 24))
    delay_days = np.where(rng.random(n) < 0.8, rng.integers(0, 4, n), rng.integers(4, 60, n))
    reported = cases["occurred_at"] + pd.to_timedelta(delay_days * 86400 + rng.integers(600, 36000, n), unit="s")
    last = pd.Timestamp("2024-06-30 23:00:00")
    cases["reported_at"] = reported.where(reported < last, last - pd.to_timedelta(rng.integers(60, 3600, n), unit="s"))
    cases["reported_at"] = cases[["reported_at", "occurred_at"]].max(axis=1)
    cases["slack_days"] = (cases["reported_at"] - cases["occurred_at"]).dt.days + 1
    cases["age"] = _ages(cases["period"].to_numpy(), rng)
    cases["recovered_amount"] = np.where(rng.random(n) < 0.12, np.round(cases["loss_amount"] * rng.uniform(0.1, 0.6, n) / 10) * 10, 0)
    return cases


def _ages(period: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Exactly 30 victims under 20 and 35 over 50 among the 1000 Y0+Y1 cases; the rest 20-50."""
    n = len(period)
    calibrated = np.flatnonzero(period != "post")
    ages = np.clip(np.round(rng.normal(35, 8, n)), 20, 50).astype(int)
    under, over = quotas.VICTIMS_OUTSIDE_20_50
    chosen = rng.permutation(calibrated)
    ages[chosen[:under]] = rng.integers(16, 20, under)
    ages[chosen[under:under + over]] = rng.integers(51, 76, over)
    post = np.flatnonzero(period == "post")
    ages[post] = np.clip(np.round(rng.normal(38, 12, len(post))), 16, 80).astype(int)
    return ages
