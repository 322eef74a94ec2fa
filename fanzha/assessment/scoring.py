"""Scoring arithmetic in numpy, mirroring warehouse/macros/scoring_normalise.sql and
score_unit_monthly.sql exactly, so the simulation ranks draws the way the notice ranks the month.

Arrays are laid out (..., units, draws): the units axis (-2) holds the units of one kind in one
district-month; leading axes (if any) are independent groups. NaN marks a missing value (SQL null).
"""

from __future__ import annotations

import warnings

import numpy as np

UNITS = -2  # the axis holding the units of one group


def normalise(raw: np.ndarray, direction: str, normalisation: str, target: float | None) -> np.ndarray:
    """Normalise raw values (..., units, draws) of one indicator to [0, 1], 1 = best; NaN stays NaN."""
    raw = np.asarray(raw, dtype=float)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: min/max/mean are NaN
        higher = direction == "higher_better"
        if normalisation == "target":
            t = float(target)  # validated at build: present, >= 0, > 0 when higher_better
            out = np.minimum(raw / t, 1.0) if higher else np.where(raw <= t, 1.0, t / raw)
        elif normalisation == "minmax":
            lo = np.nanmin(raw, axis=UNITS, keepdims=True)
            hi = np.nanmax(raw, axis=UNITS, keepdims=True)
            span = hi - lo
            pos = (raw - lo) / span if higher else (hi - raw) / span
            out = np.where(span == 0, 1.0, pos)
        elif normalisation == "district_relative":
            mean = np.nanmean(raw, axis=UNITS, keepdims=True)
            rel = np.minimum(raw / (2.0 * mean), 1.0) if higher else np.maximum(1.0 - raw / (2.0 * mean), 0.0)
            out = np.where(mean == 0, 0.5, rel)
        else:
            raise ValueError(f"unknown normalisation {normalisation!r}")
    return np.where(np.isnan(raw), np.nan, out)


def total_scores(normalised: np.ndarray, weights: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    """Total score per unit and draw, 0–100, rounded to 2 decimals as published.

    normalised: indicators × (groups ×) units × draws, NaN where the indicator is not assessed on the
    unit's own data (or does not apply to it); weights: indicators × draws, or indicators. Only the
    assessed indicators count, their weights scaled up to 100 (缺项不计分，按实际考核指标折算). A unit
    with no assessed indicator, or not `valid` (padding), gets NaN.
    """
    extra = (None,) * (normalised.ndim - 2)
    w = weights[(slice(None), *extra, slice(None))] if weights.ndim == 2 else weights[(slice(None), *extra, None)]
    present = ~np.isnan(normalised)
    available = np.sum(np.where(present, w, 0.0), axis=0)
    earned = np.sum(np.where(present, w * np.nan_to_num(normalised), 0.0), axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        total = np.where(available > 0, 100.0 * earned / available, np.nan)
    if valid is not None:
        total = np.where(valid[..., None], total, np.nan)
    return round_half_away(total, 2)


def round_half_away(values: np.ndarray, digits: int) -> np.ndarray:
    """Round like SQL round() (half away from zero), not numpy's half to even."""
    scale = 10.0**digits
    return np.sign(values) * np.floor(np.abs(values) * scale + 0.5) / scale


def competition_ranks(total: np.ndarray) -> np.ndarray:
    """Ranks (..., units, draws), 1 = highest score, ties share the best rank (1, 2, 2, 4); NaN unranked."""
    better = total[..., None, :, :] > total[..., :, None, :]  # [..., u, v, d]: v beats u (NaN never beats)
    ranks = 1.0 + better.sum(axis=-2)
    return np.where(np.isnan(total), np.nan, ranks)
