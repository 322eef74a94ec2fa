"""The numpy scoring used by the rank simulation, against hand-computed answers.

The fixture is the same as the dbt unit test `score_unit_monthly_hand_computed`
(warehouse/models/marts/assessment/_assessment__unit_tests.yml) and docs/scoring.md §4, so SQL and
numpy agree.
"""

from __future__ import annotations

import numpy as np
import pytest

from fanzha.assessment.scoring import competition_ranks, normalise, total_scores

NAN = float("nan")


def col(*values: float) -> np.ndarray:
    """Values of the units as a (units × 1 draw) array."""
    return np.array(values, dtype=float)[:, None]


def test_target_higher_better_is_capped_share_of_target() -> None:
    out = normalise(col(0.9, 0.4, NAN), "higher_better", "target", 0.8)
    np.testing.assert_array_equal(out[:, 0], [1.0, 0.5, NAN])


def test_target_lower_better_zero_target_is_all_or_nothing() -> None:
    np.testing.assert_array_equal(normalise(col(0, 1, 2), "lower_better", "target", 0.0)[:, 0], [1, 0, 0])
    np.testing.assert_array_equal(normalise(col(1, 2, 4), "lower_better", "target", 2.0)[:, 0], [1, 1, 0.5])


def test_minmax_both_directions_and_all_equal() -> None:
    np.testing.assert_array_equal(normalise(col(2, 6, 4), "lower_better", "minmax", None)[:, 0], [1, 0, 0.5])
    np.testing.assert_array_equal(normalise(col(2, 6, 4), "higher_better", "minmax", None)[:, 0], [0, 1, 0.5])
    np.testing.assert_array_equal(normalise(col(3, 3, NAN), "higher_better", "minmax", None)[:, 0], [1, 1, NAN])


def test_district_relative_is_half_at_the_mean() -> None:
    out = normalise(col(5.5, 5, 1.5), "higher_better", "district_relative", None)
    np.testing.assert_array_equal(out[:, 0], [0.6875, 0.625, 0.1875])
    out = normalise(col(1, 3), "lower_better", "district_relative", None)
    np.testing.assert_array_equal(out[:, 0], [0.75, 0.25])
    np.testing.assert_array_equal(normalise(col(0, 0), "lower_better", "district_relative", None)[:, 0], [0.5, 0.5])


def test_indicator_without_own_data_earns_nothing_and_the_rest_is_scaled_to_100() -> None:
    normalised = np.stack([
        col(1.0, 0.5, NAN),        # face_to_face_rate, weight 50 (T3 had no fund leads: not assessed)
        col(0.5, 1.0, 0.0),        # cases_per_10k, weight 30
        col(0.375, 0.125, 1.0),    # activities_per_10k, weight 20
    ])
    totals = total_scores(normalised, np.array([50.0, 30.0, 20.0]))
    # T3: (30 × 0 + 20 × 1) ÷ 50 × 100 = 40 — nothing imputed from its peers
    np.testing.assert_array_equal(totals[:, 0], [72.5, 57.5, 40.0])
    np.testing.assert_array_equal(competition_ranks(totals)[:, 0], [1, 2, 3])


def test_scaling_rounds_half_away_from_zero_as_sql() -> None:
    normalised = np.stack([col(1.0, 0.0), col(1.0, 0.5), col(0.75, 0.25), col(1.0, 1.0), col(NAN, NAN)])
    totals = total_scores(normalised, np.array([40.0, 20.0, 10.0, 10.0, 20.0]))
    np.testing.assert_array_equal(totals[:, 0], [96.88, 28.13])  # 96.875, 28.125: half away from 0, as SQL


def test_unit_with_nothing_assessed_or_not_ranked_gets_no_total() -> None:
    normalised = np.stack([col(1.0, NAN, 0.5), col(0.5, NAN, 0.5)])
    totals = total_scores(normalised, np.array([60.0, 40.0]), valid=np.array([True, True, False]))
    np.testing.assert_array_equal(totals[:, 0], [80.0, NAN, NAN])
    np.testing.assert_array_equal(competition_ranks(totals)[:, 0], [1, NAN, NAN])


def test_competition_ranks_one_two_two_four_and_unranked() -> None:
    totals = col(90, 80, 80, 70, NAN)
    np.testing.assert_array_equal(competition_ranks(totals)[:, 0], [1, 2, 2, 4, NAN])


def test_unknown_normalisation_is_refused() -> None:
    with pytest.raises(ValueError, match="normalisation"):
        normalise(col(1.0), "higher_better", "zscore", None)
