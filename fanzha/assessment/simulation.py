"""Rank uncertainty: how far could each unit's rank move by chance alone?

For every (district, month, unit kind) the month is replayed `draws` times (default 1,000):

* counts are redrawn: the month's fund leads n* ~ Poisson(n), and each lead-based rate becomes
  Binomial(n*, rate) / n*; cases c* ~ Poisson(population × EB rate) (see `eb_rates`), loss
  = c* × the unit's loss per case; activities and post-warning victims ~ Poisson(observed);
* every indicator's weight is multiplied by an independent Uniform(0.75, 1.25) factor;
* the draw is scored and ranked exactly as the official month (fanzha.assessment.scoring): only the
  indicators assessed on the unit's own data that month count, and only the units ranked that month
  (enough evidence, assessment_unit_monthly.is_assessed) are ranked; the evidence pattern is the month's.

The 5th and 95th percentiles of a unit's ranks over the draws are its rank interval. Units whose
intervals overlap cannot honestly be told apart.

Vectorised: the districts of one (month, kind) are stacked into groups × units × draws arrays, in
batches of BATCH_DISTRICTS districts (sorted by code). Each batch has its own random stream seeded
from (seed, month, kind, first district of the batch): the same seed and data give the same
intervals, and a new month's data never changes an earlier month's intervals.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fanzha.assessment.scoring import competition_ranks, normalise, total_scores

# How each indicator the scheme may use is redrawn (keep in step with
# warehouse/macros/scoring_indicators.sql: scoring_indicator_catalogue()). "fixed": not redrawn — the
# feed's denominators (refusals per operator, the district's fund leads) are not among the bases.
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
    "cases": "case_count",
    "activities_training_education": "count",
    "activities_publicity": "count",
    "publicity_reach_per_10k": "activity_rate",
    "bank_stop_payments": "count",
    "cut_off_rate": "fixed",
    "police_present_rate": "fixed",
    "police_first_contact_within_60min_rate": "fixed",
}

KIND_INDEX = {"township": 1, "member_unit": 2}
BATCH_DISTRICTS = 20  # districts stacked per numpy batch (bounds memory: ~20 × 13 × 13 × draws booleans)
SCORE_COLUMNS = ["unit_code", "unit_kind", "district_code", "month", "indicator", "raw_value", "has_own_data",
                 "weight", "direction", "normalisation", "target", "is_assessed"]
BASE_COLUMNS = ["unit_code", "month", "population", "fund_leads", "cases", "loss_amount"]
OUTPUT_COLUMNS = ["rank_p05", "rank_p95", "cases_per_10k_eb", "loss_per_10k_eb"]


@dataclass(frozen=True)
class SimulationSettings:
    draws: int = 1000
    seed: int = 20231101
    weight_spread: float = 0.25


@dataclass(frozen=True)
class KindScheme:
    """The scheme rows of one unit kind, in a fixed (indicator name) order."""

    indicators: tuple[str, ...]
    weights: np.ndarray
    directions: tuple[str, ...]
    normalisations: tuple[str, ...]
    targets: tuple[float | None, ...]


def eb_rates(counts: np.ndarray, population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Empirical-Bayes (Poisson–gamma, method of moments; Marshall 1991) per-10,000 rates.

    Arrays are (..., units); each leading index is a separate group. Returns (shrunken rates per
    10k, shrinkage weight B in [0, 1] given to the unit's own rate). Units with no population or
    count (padding) get NaN.
    """
    counts = np.asarray(counts, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        e = np.where(population > 0, population / 1e4, np.nan)  # exposure in 10k residents
        ok = ~np.isnan(e) & ~np.isnan(counts)
        y, ex = np.where(ok, counts, 0.0), np.where(ok, e, 0.0)
        m = y.sum(axis=-1, keepdims=True) / ex.sum(axis=-1, keepdims=True)  # pooled rate of the group
        r = y / e
        spread = np.where(ok, ex * (r - m) ** 2, 0.0).sum(axis=-1, keepdims=True) / ex.sum(axis=-1, keepdims=True)
        mean_e = ex.sum(axis=-1, keepdims=True) / ok.sum(axis=-1, keepdims=True)
        s2 = np.maximum(spread - m / mean_e, 0.0)  # between-unit variance of the true rates
        b = np.where(s2 > 0, s2 / (s2 + m / e), 0.0)
        rates = m + b * (r - m)
    return np.where(ok, rates, np.nan), np.where(ok, b, np.nan)


def _redraw(raw: np.ndarray, kind: str, ctx: dict[str, np.ndarray], rng: np.random.Generator,
            draws: int) -> np.ndarray:
    """One indicator's values (groups × units × draws) under the perturbation `kind`."""
    missing = np.isnan(raw)[..., None]
    pop = ctx["population"][..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "lead_rate":
            n = ctx["leads_drawn"]
            k = rng.binomial(n, np.clip(np.where(missing, 0.0, raw[..., None]), 0.0, 1.0))
            return np.where(missing | (n == 0), np.nan, k / n)
        if kind == "case_rate":
            return np.where(pop > 0, ctx["cases_drawn"] / pop * 1e4, np.nan)
        if kind == "case_count":
            return np.where(missing, np.nan, ctx["cases_drawn"])
        if kind == "loss_rate":
            return np.where(pop > 0, ctx["cases_drawn"] * ctx["loss_per_case"][..., None] / pop * 1e4, np.nan)
        if kind == "activity_rate":
            lam = np.where(missing, 0.0, (raw * ctx["population"] / 1e4)[..., None])
            out = rng.poisson(np.broadcast_to(lam, (*raw.shape, draws))) / pop * 1e4
            return np.where(missing | ~(pop > 0), np.nan, out)
        if kind == "count":
            lam = np.where(missing, 0.0, raw[..., None])
            return np.where(missing, np.nan, rng.poisson(np.broadcast_to(lam, (*raw.shape, draws))).astype(float))
    return np.broadcast_to(raw[..., None], (*raw.shape, draws)).copy()  # not perturbed


def _percentile_ranks(ranks: np.ndarray, units_in_group: np.ndarray, draws: int) -> tuple[np.ndarray, np.ndarray]:
    """5th (lower) and 95th (higher) percentile of each unit's ranks; a draw where the unit could
    not be scored counts as last place among the ranked units."""
    worst = np.broadcast_to(units_in_group[..., None, None], ranks.shape)
    ordered = np.sort(np.where(np.isnan(ranks), worst, ranks), axis=-1)
    return ordered[..., int(np.floor(0.05 * (draws - 1)))], ordered[..., int(np.ceil(0.95 * (draws - 1)))]


def simulate_groups(raw: np.ndarray, valid: np.ndarray, scheme: KindScheme, bases: dict[str, np.ndarray],
                    rng: np.random.Generator, draws: int, spread: float,
                    ranked: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Rank intervals and EB rates for stacked groups.

    raw: groups × units × indicators (scheme order), NaN where the indicator is not assessed on the unit's
    own data or does not apply to it, and for padding; valid: groups × units (False = padding); ranked:
    groups × units, the units that take part in the ranking (default: every valid unit). Every valid unit
    is a benchmark for minmax and district_relative, as in SQL; only ranked units get a rank interval.
    bases: groups × units arrays of population, fund_leads, cases and loss_amount.
    """
    ranked = valid if ranked is None else (ranked & valid)
    pop, cases, loss = bases["population"], bases["cases"], bases["loss_amount"]
    eb, _ = eb_rates(np.where(valid, cases, np.nan), np.where(valid, pop, np.nan))
    with np.errstate(divide="ignore", invalid="ignore"):
        total_cases = np.nansum(np.where(valid, cases, 0.0), axis=-1, keepdims=True)
        mean_loss = np.where(total_cases > 0, np.nansum(np.where(valid, loss, 0.0), axis=-1, keepdims=True)
                             / total_cases, 0.0)
        loss_per_case = np.where(cases > 0, loss / cases, mean_loss)
    ctx = {
        "population": np.where(valid, pop, np.nan),
        "loss_per_case": np.nan_to_num(loss_per_case),
        "leads_drawn": rng.poisson(np.broadcast_to(np.nan_to_num(bases["fund_leads"])[..., None],
                                                   (*valid.shape, draws))),
        "cases_drawn": rng.poisson(np.broadcast_to(np.nan_to_num(eb * pop / 1e4)[..., None],
                                                   (*valid.shape, draws))).astype(float),
    }
    normalised = np.empty((len(scheme.indicators), *valid.shape, draws))
    for i, indicator in enumerate(scheme.indicators):  # loop over the scheme's indicators
        values = _redraw(raw[..., i], PERTURBATION.get(indicator, "fixed"), ctx, rng, draws)
        values = np.where(valid[..., None], values, np.nan)
        normalised[i] = normalise(values, scheme.directions[i], scheme.normalisations[i], scheme.targets[i])
    factors = rng.uniform(1.0 - spread, 1.0 + spread, (len(scheme.indicators), draws))
    ranks = competition_ranks(total_scores(normalised, scheme.weights[:, None] * factors, ranked))
    p05, p95 = _percentile_ranks(ranks, ranked.sum(axis=-1).astype(float), draws)
    unscored = np.isnan(ranks).all(axis=-1) | ~ranked
    return {"rank_p05": np.where(unscored, np.nan, p05), "rank_p95": np.where(unscored, np.nan, p95),
            "cases_per_10k_eb": eb, "loss_per_10k_eb": eb * np.where(cases > 0, loss_per_case, mean_loss)}


def _schemes(scores: pd.DataFrame) -> dict[str, KindScheme]:
    rows = scores.drop_duplicates(["unit_kind", "indicator"]).sort_values(["unit_kind", "indicator"])
    out = {}
    for kind, r in rows.groupby("unit_kind"):
        targets = tuple(None if pd.isna(t) else float(t) for t in r["target"])
        out[str(kind)] = KindScheme(tuple(r["indicator"]), r["weight"].to_numpy(float), tuple(r["direction"]),
                                    tuple(r["normalisation"]), targets)
    return out


def _batch_seed(settings: SimulationSettings, month: pd.Timestamp, kind: str, first_district: str) -> list[int]:
    digits = int("".join(ch for ch in str(first_district) if ch.isdigit()) or 0)
    return [settings.seed, month.year * 100 + month.month, KIND_INDEX.get(kind, 0), digits]


def simulate_rank_intervals(scores: pd.DataFrame, bases: pd.DataFrame,
                            settings: SimulationSettings = SimulationSettings()) -> pd.DataFrame:
    """Rank intervals for every unit-month in `scores` (the rows of score_unit_monthly, with the
    unit-month's is_assessed from assessment_unit_monthly); null for units not ranked that month.

    `bases` holds per unit-month population, fund_leads, cases and loss_amount (kpi_unit_monthly).
    Returns one row per (unit_code, month).
    """
    if scores.empty:
        frame = pd.DataFrame(columns=["unit_code", "month", *OUTPUT_COLUMNS])
    else:
        scores = scores[SCORE_COLUMNS].assign(
            month=lambda f: pd.to_datetime(f["month"]),
            raw_value=lambda f: f["raw_value"].where(f["has_own_data"].astype(bool)))  # not own data: not scored
        schemes = _schemes(scores)
        keys = ["month", "unit_kind", "district_code", "unit_code"]
        wide = (scores.assign(indicator="indicator:" + scores["indicator"])  # apart from the base columns
                .pivot(index=keys, columns="indicator", values="raw_value").sort_index().reset_index())
        assessed = scores.groupby(keys)["is_assessed"].first().astype(bool).rename("is_assessed").reset_index()
        wide = wide.merge(assessed, on=keys, how="left")
        unit_bases = bases[BASE_COLUMNS].assign(month=lambda f: pd.to_datetime(f["month"]))
        wide = wide.merge(unit_bases, on=["unit_code", "month"], how="left")
        # position of each unit within its district-month-kind group (the units axis)
        wide["slot"] = wide.groupby(keys[:3]).cumcount()
        results = {c: np.full(len(wide), np.nan) for c in OUTPUT_COLUMNS}
        arrays = {
            "district": wide["district_code"].astype(str).to_numpy(),
            "slot": wide["slot"].to_numpy(),
            "is_assessed": wide["is_assessed"].to_numpy(bool),
            **{c: wide[c].to_numpy(float) for c in BASE_COLUMNS[2:]},
        }
        raw_by_kind = {kind: wide[[f"indicator:{i}" for i in s.indicators]].to_numpy(float)
                       for kind, s in schemes.items()}
        for (month, kind), rows in wide.groupby(keys[:2], sort=True).indices.items():
            districts = np.unique(arrays["district"][rows])  # sorted
            for start in range(0, len(districts), BATCH_DISTRICTS):
                chosen = districts[start:start + BATCH_DISTRICTS]
                batch = rows[np.isin(arrays["district"][rows], chosen)]
                rng = np.random.default_rng(_batch_seed(settings, month, kind, chosen[0]))
                _simulate_batch(arrays, raw_by_kind[kind], batch, chosen, schemes[kind], results, rng, settings)
        frame = pd.DataFrame({"unit_code": wide["unit_code"], "month": wide["month"].dt.date, **results})
    frame["simulation_draws"] = settings.draws
    frame["simulation_seed"] = settings.seed
    return frame


def _simulate_batch(arrays: dict[str, np.ndarray], raw_rows: np.ndarray, rows: np.ndarray, districts: np.ndarray,
                    scheme: KindScheme, results: dict[str, np.ndarray], rng: np.random.Generator,
                    settings: SimulationSettings) -> None:
    """Stack the batch's districts into groups × units arrays, simulate, scatter the results back."""
    g = np.searchsorted(districts, arrays["district"][rows])
    u = arrays["slot"][rows]
    shape = (len(districts), int(u.max()) + 1)
    valid = np.zeros(shape, dtype=bool)
    valid[g, u] = True
    ranked = np.zeros(shape, dtype=bool)
    ranked[g, u] = arrays["is_assessed"][rows]
    raw = np.full((*shape, len(scheme.indicators)), np.nan)
    raw[g, u] = raw_rows[rows]
    bases = {}
    for column in BASE_COLUMNS[2:]:
        bases[column] = np.full(shape, np.nan)
        bases[column][g, u] = arrays[column][rows]
    out = simulate_groups(raw, valid, scheme, bases, rng, settings.draws, settings.weight_spread, ranked)
    for column, values in out.items():
        results[column][rows] = values[g, u]
