"""Rank simulation and empirical-Bayes rates: reproducible, and right where the answer is known."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from fanzha.assessment.simulation import PERTURBATION, SimulationSettings, eb_rates, simulate_rank_intervals
from fanzha.core.paths import WAREHOUSE_PROJECT


def test_eb_rates_hand_computed() -> None:
    # Two units of 10,000: 0 and 10 cases. Pooled m = 5 per 10k; between-unit variance
    # s² = (1·25 + 1·25)/2 − 5/1 = 20; B = 20 / (20 + 5/1) = 0.8 → 5 ± 0.8·5 = 1 and 9.
    rates, weight = eb_rates(np.array([0.0, 10.0]), np.array([10000.0, 10000.0]))
    np.testing.assert_allclose(rates, [1.0, 9.0])
    np.testing.assert_allclose(weight, [0.8, 0.8])


def test_eb_rates_shrink_small_units_more_and_fully_when_no_spread() -> None:
    rates, weight = eb_rates(np.array([2.0, 20.0, 40.0]), np.array([500.0, 50000.0, 50000.0]))
    assert weight[0] < weight[1]  # the 500-person unit's own rate counts least
    assert abs(rates[0] - 2 / 0.05) > 0 and rates[0] < 2 / 0.05
    flat, flat_weight = eb_rates(np.array([1.0, 2.0]), np.array([10000.0, 20000.0]))  # same rate: no spread
    np.testing.assert_allclose(flat, [1.0, 1.0])
    np.testing.assert_allclose(flat_weight, [0.0, 0.0])


def _fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three townships: T1 best on everything, T3 worst on everything, T2 between."""
    month = date(2023, 11, 1)
    scheme = [("face_to_face_rate", 50.0, "higher_better", "target", 0.8),
              ("cases_per_10k", 30.0, "lower_better", "minmax", None),
              ("activities_per_10k", 20.0, "higher_better", "district_relative", None)]
    raw = {"T1": (1.0, 1.0, 8.0), "T2": (0.7, 5.0, 4.0), "T3": (0.3, 15.0, 1.0)}
    cases = {"T1": 20, "T2": 100, "T3": 300}
    scores = pd.DataFrame([
        {"unit_code": u, "unit_kind": "township", "district_code": "130506", "month": month,
         "indicator": ind, "raw_value": raw[u][i], "has_own_data": True, "weight": w, "direction": d,
         "normalisation": n, "target": t, "is_assessed": True}
        for u in raw for i, (ind, w, d, n, t) in enumerate(scheme)
    ])
    bases = pd.DataFrame([
        {"unit_code": u, "month": month, "population": 200000.0, "fund_leads": 400.0,
         "cases": float(cases[u]), "loss_amount": cases[u] * 20000.0}
        for u in raw
    ])
    return scores, bases


def test_same_seed_same_intervals_and_clear_leader_is_certain() -> None:
    scores, bases = _fixture()
    settings = SimulationSettings(draws=300, seed=7)
    first = simulate_rank_intervals(scores, bases, settings)
    second = simulate_rank_intervals(scores, bases, settings)
    pd.testing.assert_frame_equal(first, second)
    by_unit = first.set_index("unit_code")
    assert (by_unit.loc["T1", "rank_p05"], by_unit.loc["T1", "rank_p95"]) == (1, 1)
    assert (by_unit.loc["T3", "rank_p05"], by_unit.loc["T3", "rank_p95"]) == (3, 3)
    assert set(first["simulation_seed"]) == {7} and set(first["simulation_draws"]) == {300}


def test_identical_units_cannot_be_told_apart() -> None:
    scores, bases = _fixture()
    t1_scores = scores["unit_code"] == "T1"
    scores.loc[scores["unit_code"] == "T2", "raw_value"] = scores.loc[t1_scores, "raw_value"].to_numpy()
    bases.loc[bases["unit_code"] == "T2", "cases"] = 20.0
    bases.loc[bases["unit_code"] == "T2", "loss_amount"] = 400000.0
    scores.loc[scores["indicator"] == "face_to_face_rate", "raw_value"] = [0.8, 0.8, 0.3]
    bases["fund_leads"] = 5.0  # five leads a month: the rates are mostly noise
    out = simulate_rank_intervals(scores, bases, SimulationSettings(draws=300, seed=1)).set_index("unit_code")
    assert (out.loc["T1", "rank_p05"], out.loc["T1", "rank_p95"]) == (1, 2)
    assert (out.loc["T2", "rank_p05"], out.loc["T2", "rank_p95"]) == (1, 2)


def test_unranked_unit_gets_no_interval_and_takes_no_place() -> None:
    scores, bases = _fixture()
    scores.loc[scores["unit_code"] == "T1", "is_assessed"] = False  # the best unit has too little evidence
    out = simulate_rank_intervals(scores, bases, SimulationSettings(draws=300, seed=7)).set_index("unit_code")
    assert out.loc["T1", ["rank_p05", "rank_p95"]].isna().all()
    assert (out.loc["T2", "rank_p05"], out.loc["T2", "rank_p95"]) == (1, 1)  # T2 is now first of two
    assert (out.loc["T3", "rank_p05"], out.loc["T3", "rank_p95"]) == (2, 2)


def test_value_that_is_not_own_data_is_not_scored() -> None:
    scores, bases = _fixture()
    # T1's face-to-face rate is not its own data: were its 0 scored, T1 would total 0 + 30 + 20 = 50 and
    # fall behind T2; unscored, T1 is judged on cases and activities alone, where it is the best
    t1_f2f = (scores["unit_code"] == "T1") & (scores["indicator"] == "face_to_face_rate")
    scores.loc[t1_f2f, "has_own_data"] = False
    scores.loc[t1_f2f, "raw_value"] = 0.0
    out = simulate_rank_intervals(scores, bases, SimulationSettings(draws=300, seed=7)).set_index("unit_code")
    assert (out.loc["T1", "rank_p05"], out.loc["T1", "rank_p95"]) == (1, 1)


def test_simulation_knows_every_indicator_the_scheme_may_use() -> None:
    macro = (WAREHOUSE_PROJECT / "macros" / "scoring_indicators.sql").read_text(encoding="utf-8")
    listed = re.search(r"scoring_indicator_catalogue\(\) %}\s*{{ return\({(.*?)}\) }}", macro, re.S)
    assert listed is not None
    assert set(re.findall(r"^\s*'(\w+)': {", listed.group(1), re.M)) == set(PERTURBATION)
