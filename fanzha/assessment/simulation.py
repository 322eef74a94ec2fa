"""Rank uncertainty: how far could each unit's rank move by chance alone?

For every (district, month, unit kind) the month is replayed `draws` times (default 1,000):

* counts are redrawn: the month's fund leads n* ~ Poisson(n), and each lead-based rate becomes
  Binomial(n*, rate) / n*; cases c* ~ Poisson(population × EB rate) (see `eb_rates`), loss
  = c* × the unit's loss per case; activities and post-warning victims ~ Poisson(observed);
* every indicator's weight is multiplied by an independent Uniform(0.75, 1.25) factor;
* the draw is scored and ranked exactly as the official month (fanzha.assessment.scoring).

The 5th and 95th percentiles of a unit's ranks over the draws are its rank interval. Units whose
intervals overlap cannot honestly be told apart. The random stream of each group is seeded
from (seed, district, month, kind), so the same seed and data give the same intervals, and one
district's intervals do not depend on which other districts are in the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fanzha.assessment.scoring import competition_ranks, normalise, total_scores

# How each indicator the scheme may use is redrawn (keep in step with
# warehouse/macros/scoring_indicators.sql: scoring_known_indicators()).
PERTURBATION: dict[str, str] = {
    "face_to_face_rate": "lead_rate",
    "four_party_rate": "lead_rate",
    "first_contact_within_60min_rate": "lead_rate",
    "three_clear_rate": "lead_rate",
    "checklist_rate": "lead_rate",
    "follow_up_rate": "lead_rate",
    "dissuaded_rate": "lead_rate",
    "intercepted_share": "lead_rate",
    "activities_per_10k": "activity_rate",
    "activities_total": "count",
    "cases_per_10k": "case_rate",
    "loss_per_10k": "loss_rate",
    "post_warning_victims": "count",
    "repeat_victims": "count",
}

KIND_INDEX = {"township": 1, "member_unit": 2}
SCORE_COLUMNS = ["unit_code", "unit_kind", "district_code", "month", "indicator", "raw_value",
                 "weight", "direction", "normalisation", "target"]
BASE_COLUMNS = ["unit_code", "month", "population", "fund_leads", "cases", "loss_amount"]


@dataclass(frozen=True)
class SimulationSettings:
    draws: int = 1000
    seed: int = 20231101
    weight_spread: float = 0.25


def eb_rates(counts: np.ndarray, population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Empirical-Bayes (Poisson–gamma, method of moments; Marshall 1991) per-10,000 rates.

    Returns (shrunken rates per 10k, shrinkage weight B in [0, 1] given to the unit's own rate).
    Units with population 0 or unknown get NaN.
    """
    e = np.where(population > 0, population / 1e4, np.nan)  # exposure in 10k residents
    ok = ~np.isnan(e) & ~np.isnan(counts)
    if not ok.any():
        return np.full(counts.shape, np.nan), np.full(counts.shape, np.nan)
    y, ex = counts[ok], e[ok]
    m = y.sum() / ex.sum()  # pooled rate of the kind
    r = y / ex
    s2 = np.sum(ex * (r - m) ** 2) / ex.sum() - m / ex.mean()  # between-unit variance of true rates
    s2 = max(float(s2), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(ok, s2 / (s2 + m / e), np.nan) if s2 > 0 else np.where(ok, 0.0, np.nan)
        own = counts / e
    return m + b * (own - m), b


def _group_seed(settings: SimulationSettings, district_code: str, month: pd.Timestamp, kind: str) -> list[int]:
    digits = int("".join(ch for ch in str(district_code) if ch.isdigit()) or 0)
    return [settings.seed, digits, month.year * 100 + month.month, KIND_INDEX.get(kind, 0)]


def _redraw(raw: np.ndarray, kind: str, ctx: dict[str, np.ndarray], rng: np.random.Generator,
            draws: int) -> np.ndarray:
    """One indicator's values (units × draws) under the perturbation `kind`."""
    if kind == "lead_rate":
        n = ctx["leads_drawn"]
        p = np.clip(np.nan_to_num(raw), 0.0, 1.0)[:, None]
        k = rng.binomial(n, np.broadcast_to(p, n.shape))
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(n > 0, k / n, np.nan)
        return np.where(np.isnan(raw)[:, None], np.nan, out)
    pop = ctx["population"][:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "case_rate":
            return np.where(pop > 0, ctx["cases_drawn"] / pop * 1e4, np.nan)
        if kind == "loss_rate":
            return np.where(pop > 0, ctx["cases_drawn"] * ctx["loss_per_case"][:, None] / pop * 1e4, np.nan)
        if kind == "activity_rate":
            lam = np.nan_to_num(raw * ctx["population"] / 1e4)
            out = rng.poisson(lam[:, None], (raw.size, draws)) / pop * 1e4
            return np.where(np.isnan(raw)[:, None] | ~(pop > 0), np.nan, out)
    if kind == "count":
        out = rng.poisson(np.nan_to_num(raw)[:, None], (raw.size, draws)).astype(float)
        return np.where(np.isnan(raw)[:, None], np.nan, out)
    return np.repeat(raw[:, None], draws, axis=1)  # not perturbed


@dataclass(frozen=True)
class KindScheme:
    """The scheme rows of one unit kind, in a fixed (indicator name) order."""

    indicators: tuple[str, ...]
    weights: np.ndarray
    directions: tuple[str, ...]
    normalisations: tuple[str, ...]
    targets: tuple[float | None, ...]


def _percentile_ranks(ranks: np.ndarray, draws: int) -> tuple[np.ndarray, np.ndarray]:
    """5th (lower) and 95th (higher) percentile of each unit's ranks; a draw where the unit could
    not be scored counts as last place."""
    worst = float(ranks.shape[0])
    ordered = np.sort(np.where(np.isnan(ranks), worst, ranks), axis=1)
    return ordered[:, int(np.floor(0.05 * (draws - 1)))], ordered[:, int(np.ceil(0.95 * (draws - 1)))]


def simulate_group(raw: np.ndarray, scheme: KindScheme, bases: dict[str, np.ndarray],
                   rng: np.random.Generator, draws: int, spread: float) -> dict[str, np.ndarray]:
    """Rank interval and EB rates for one group: raw is units × indicators (scheme order);
    bases holds per-unit population, fund_leads, cases and loss_amount."""
    units = raw.shape[0]
    pop, cases, loss = bases["population"], bases["cases"], bases["loss_amount"]
    eb, _ = eb_rates(cases, pop)
    total_cases, total_loss = np.nansum(cases), np.nansum(loss)
    mean_loss = total_loss / total_cases if total_cases > 0 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        loss_per_case = np.where(cases > 0, loss / cases, mean_loss)
        loss_eb = np.where(cases > 0, eb * loss_per_case, eb * mean_loss)
    ctx = {
        "population": pop,
        "loss_per_case": np.nan_to_num(loss_per_case),
        "leads_drawn": rng.poisson(np.nan_to_num(bases["fund_leads"])[:, None], (units, draws)),
        "cases_drawn": rng.poisson(np.nan_to_num(eb * pop / 1e4)[:, None], (units, draws)).astype(float),
    }
    normalised = np.empty((len(scheme.indicators), units, draws))
    for i, indicator in enumerate(scheme.indicators):  # loop over the scheme's indicators
        values = _redraw(raw[:, i], PERTURBATION.get(indicator, "fixed"), ctx, rng, draws)
        normalised[i] = normalise(values, scheme.directions[i], scheme.normalisations[i], scheme.targets[i])
    factors = rng.uniform(1.0 - spread, 1.0 + spread, (len(scheme.indicators), draws))
    ranks = competition_ranks(total_scores(normalised, scheme.weights[:, None] * factors))
    p05, p95 = _percentile_ranks(ranks, draws)
    unscored = np.isnan(ranks).all(axis=1)
    return {"rank_p05": np.where(unscored, np.nan, p05), "rank_p95": np.where(unscored, np.nan, p95),
            "cases_per_10k_eb": eb, "loss_per_10k_eb": loss_eb}


def _schemes(scores: pd.DataFrame) -> dict[str, KindScheme]:
    rows = scores.drop_duplicates(["unit_kind", "indicator"]).sort_values(["unit_kind", "indicator"])
    out = {}
    for kind, r in rows.groupby("unit_kind"):
        targets = tuple(None if pd.isna(t) else float(t) for t in r["target"])
        out[str(kind)] = KindScheme(tuple(r["indicator"]), r["weight"].to_numpy(float), tuple(r["direction"]),
                                    tuple(r["normalisation"]), targets)
    return out


def simulate_rank_intervals(scores: pd.DataFrame, bases: pd.DataFrame,
                            settings: SimulationSettings = SimulationSettings()) -> pd.DataFrame:
    """Rank intervals for every unit-month in `scores` (the rows of score_unit_monthly).

    `bases` holds per unit-month population, fund_leads, cases and loss_amount (kpi_unit_monthly).
    Returns one row per (unit_code, month). The data is reshaped once; the loop runs over
    (district, month, kind) groups, each a handful of numpy calls on units × draws arrays.
    """
    columns = ["unit_code", "month", "rank_p05", "rank_p95", "cases_per_10k_eb", "loss_per_10k_eb"]
    if scores.empty:
        frame = pd.DataFrame(columns=columns)
    else:
        scores = scores[SCORE_COLUMNS].assign(month=lambda f: pd.to_datetime(f["month"]))
        schemes = _schemes(scores)
        keys = ["district_code", "month", "unit_kind", "unit_code"]
        wide = scores.pivot(index=keys, columns="indicator", values="raw_value").sort_index().reset_index()
        unit_bases = bases[BASE_COLUMNS].assign(month=lambda f: pd.to_datetime(f["month"]))
        wide = wide.merge(unit_bases, on=["unit_code", "month"], how="left")
        base_arrays = {c: wide[c].to_numpy(float) for c in BASE_COLUMNS[2:]}
        raw_by_kind = {kind: wide[list(s.indicators)].to_numpy(float) for kind, s in schemes.items()}
        results = {c: np.full(len(wide), np.nan) for c in columns[2:]}
        for (district, month, kind), idx in wide.groupby(keys[:3], sort=True).indices.items():
            rng = np.random.default_rng(_group_seed(settings, district, month, kind))
            group = simulate_group(raw_by_kind[kind][idx], schemes[kind], {c: a[idx] for c, a in base_arrays.items()},
                                   rng, settings.draws, settings.weight_spread)
            for c, values in group.items():
                results[c][idx] = values
        frame = pd.DataFrame({"unit_code": wide["unit_code"], "month": wide["month"].dt.date, **results})
    frame["simulation_draws"] = settings.draws
    frame["simulation_seed"] = settings.seed
    return frame
