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


def simulate_group(raw: np.ndarray, scheme: pd.DataFrame, bases: pd.DataFrame,
                   rng: np.random.Generator, draws: int, spread: float) -> dict[str, np.ndarray]:
    """Rank interval and EB rates for one group: raw is units × indicators (scheme row order)."""
    units = raw.shape[0]
    pop = bases["population"].to_numpy(float)
    cases = bases["cases"].to_numpy(float)
    loss = bases["loss_amount"].to_numpy(float)
    eb, _ = eb_rates(cases, pop)
    total_cases, total_loss = np.nansum(cases), np.nansum(loss)
    mean_loss = total_loss / total_cases if total_cases > 0 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        loss_per_case = np.where(cases > 0, loss / cases, mean_loss)
        loss_eb = np.where(cases > 0, eb * loss_per_case, eb * mean_loss)
    ctx = {
        "population": pop,
        "loss_per_case": np.nan_to_num(loss_per_case),
        "leads_drawn": rng.poisson(np.nan_to_num(bases["fund_leads"].to_numpy(float))[:, None], (units, draws)),
        "cases_drawn": rng.poisson(np.nan_to_num(eb * pop / 1e4)[:, None], (units, draws)).astype(float),
    }
    normalised = np.empty((len(scheme), units, draws))
    for i, row in enumerate(scheme.itertuples(index=False)):  # loop over the scheme's indicators
        values = _redraw(raw[:, i], PERTURBATION.get(row.indicator, "fixed"), ctx, rng, draws)
        normalised[i] = normalise(values, row.direction, row.normalisation, row.target)
    factors = rng.uniform(1.0 - spread, 1.0 + spread, (len(scheme), draws))
    ranks = competition_ranks(total_scores(normalised, scheme["weight"].to_numpy(float)[:, None] * factors))
    ranked = ~np.isnan(ranks).all(axis=1)
    p05 = np.full(units, np.nan)
    p95 = np.full(units, np.nan)
    if ranked.any():
        p05[ranked] = np.nanpercentile(ranks[ranked], 5, axis=1, method="lower")
        p95[ranked] = np.nanpercentile(ranks[ranked], 95, axis=1, method="higher")
    return {"rank_p05": p05, "rank_p95": p95, "cases_per_10k_eb": eb, "loss_per_10k_eb": loss_eb}


def simulate_rank_intervals(scores: pd.DataFrame, bases: pd.DataFrame,
                            settings: SimulationSettings = SimulationSettings()) -> pd.DataFrame:
    """Rank intervals for every unit-month in `scores` (the rows of score_unit_monthly).

    `bases` holds per unit-month population, fund_leads, cases and loss_amount (kpi_unit_monthly).
    Returns one row per (unit_code, month).
    """
    scores = scores[SCORE_COLUMNS].copy()
    scores["month"] = pd.to_datetime(scores["month"])
    bases = bases[BASE_COLUMNS].copy()
    bases["month"] = pd.to_datetime(bases["month"])
    out: list[pd.DataFrame] = []
    for (district, month, kind), group in scores.groupby(["district_code", "month", "unit_kind"], sort=True):
        scheme = (group.drop_duplicates("indicator")[["indicator", "weight", "direction", "normalisation", "target"]]
                  .sort_values("indicator").reset_index(drop=True))
        raw = group.pivot(index="unit_code", columns="indicator", values="raw_value")[scheme["indicator"]]
        unit_bases = (pd.DataFrame({"unit_code": raw.index, "month": month})
                      .merge(bases, on=["unit_code", "month"], how="left"))
        rng = np.random.default_rng(_group_seed(settings, district, month, kind))
        result = simulate_group(raw.to_numpy(float), scheme, unit_bases, rng, settings.draws,
                                settings.weight_spread)
        out.append(pd.DataFrame({"unit_code": raw.index, "month": month, **result}))
    columns = ["unit_code", "month", "rank_p05", "rank_p95", "cases_per_10k_eb", "loss_per_10k_eb"]
    frame = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=columns)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["simulation_draws"] = settings.draws
    frame["simulation_seed"] = settings.seed
    return frame
