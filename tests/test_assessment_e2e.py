"""On the Nanhe demo: the numpy scoring the rank simulation uses reproduces the SQL scores of every
unit-month exactly, and the published ranking is what the notice needs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

from fanzha.assessment.scoring import competition_ranks, normalise, total_scores

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(demo_home: Path):
    con = duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True)
    con.execute("use marts")
    yield con
    con.close()


def test_numpy_scoring_reproduces_sql_totals_and_ranks(warehouse) -> None:
    scores = warehouse.execute(
        "select district_code, month, unit_kind, unit_code, indicator, raw_value, weight, direction, "
        "normalisation, target from score_unit_monthly order by district_code, month, unit_kind, unit_code, indicator"
    ).df()
    ranking = warehouse.execute("select unit_code, month, total_score, rank from ranking_unit_monthly").df()
    expected = ranking.set_index(["unit_code", "month"])
    checked = 0
    for _, group in scores.groupby(["district_code", "month", "unit_kind"]):
        wide = group.pivot(index="unit_code", columns="indicator", values="raw_value")
        scheme = group.drop_duplicates("indicator").set_index("indicator").loc[wide.columns]
        normalised = np.stack([
            normalise(wide[ind].to_numpy(float)[:, None], row.direction, row.normalisation, row.target)
            for ind, row in scheme.iterrows()
        ])
        totals = total_scores(normalised, scheme["weight"].to_numpy(float))[:, 0]
        ranks = competition_ranks(totals[:, None])[:, 0]
        month = group["month"].iloc[0]
        want = expected.loc[[(u, month) for u in wide.index]]
        np.testing.assert_allclose(totals, want["total_score"].to_numpy(), atol=1e-9)
        np.testing.assert_array_equal(ranks, want["rank"].to_numpy())
        checked += len(wide)
    assert checked == len(ranking) > 0


def test_every_month_ranks_all_eight_townships_with_intervals(warehouse) -> None:
    rows = warehouse.execute(
        "select month, count(*), min(rank), max(units_in_kind), count(rank_p05), "
        "sum(case when rank_p05 <= rank and rank <= rank_p95 then 1 else 0 end) "
        "from ranking_unit_monthly where unit_kind = 'township' and district_code = '130506' group by month"
    ).fetchall()
    assert len(rows) == 28  # 2022-03 … 2024-06
    assert all(r[1] == 8 and r[2] == 1 and r[3] == 8 and r[4] == 8 for r in rows)
    assert sum(r[5] for r in rows) >= 0.9 * 8 * 28  # the official rank lies inside its interval almost always
