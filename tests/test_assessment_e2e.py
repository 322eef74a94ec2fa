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
        "select s.district_code, s.month, s.unit_kind, s.unit_code, s.indicator, s.raw_value, s.has_own_data, "
        "s.weight, s.direction, s.normalisation, s.target, a.is_assessed, a.total_score "
        "from score_unit_monthly as s join assessment_unit_monthly as a using (unit_code, month) "
        "order by s.district_code, s.month, s.unit_kind, s.unit_code, s.indicator"
    ).df()
    ranking = warehouse.execute("select unit_code, month, total_score, rank from ranking_unit_monthly").df()
    expected = ranking.set_index(["unit_code", "month"])
    checked = ranked = 0
    for _, group in scores.groupby(["district_code", "month", "unit_kind"]):
        own = group.assign(raw_value=group["raw_value"].where(group["has_own_data"]))
        wide = own.pivot(index="unit_code", columns="indicator", values="raw_value")
        units = group.drop_duplicates("unit_code").set_index("unit_code").loc[wide.index]
        scheme = group.drop_duplicates("indicator").set_index("indicator").loc[wide.columns]
        normalised = np.stack([
            normalise(wide[ind].to_numpy(float)[:, None], row.direction, row.normalisation, row.target)
            for ind, row in scheme.iterrows()
        ])
        totals = total_scores(normalised, scheme["weight"].to_numpy(float))[:, 0]
        np.testing.assert_allclose(totals, units["total_score"].to_numpy(float), atol=1e-9)  # NaN = NaN
        assessed = units["is_assessed"].to_numpy(bool)
        ranks = competition_ranks(np.where(assessed, totals, np.nan)[:, None])[:, 0]
        month = group["month"].iloc[0]
        want = expected.loc[[(u, month) for u in wide.index[assessed]]]
        np.testing.assert_array_equal(ranks[assessed], want["rank"].to_numpy())
        checked += len(wide)
        ranked += int(assessed.sum())
    assert ranked == len(ranking) > 0 and checked > ranked


def test_every_month_ranks_the_townships_with_evidence_with_intervals(warehouse) -> None:
    rows = warehouse.execute(
        "select a.month, count(*), count(r.rank), min(r.rank), max(r.units_in_kind), count(r.rank_p05), "
        "sum(case when r.rank_p05 <= r.rank and r.rank <= r.rank_p95 then 1 else 0 end), "
        "sum(case when k.fund_leads > 0 and not a.is_assessed then 1 else 0 end) "
        "from assessment_unit_monthly as a join kpi_unit_monthly as k using (unit_code, month) "
        "left join ranking_unit_monthly as r using (unit_code, month) "
        "where a.unit_kind = 'township' and a.district_code = '130506' group by a.month"
    ).fetchall()
    assert len(rows) == 28  # 2022-03 … 2024-06, every township scored every month
    assert all(r[1] == 8 and r[3] == 1 and r[4] == r[2] == r[5] for r in rows)
    assert all(r[7] == 0 for r in rows)  # a township with fund leads is always ranked
    ranked = sum(r[2] for r in rows)
    assert ranked >= 0.75 * 8 * 28  # townships without fund leads in a month sit out (本月无可考核事项)
    assert sum(r[6] for r in rows) >= 0.9 * ranked  # the official rank lies inside its interval almost always


def test_no_member_unit_is_commended_without_evidence(warehouse) -> None:
    commended = warehouse.execute(
        "select count(*), min(evidence_share) from ranking_unit_monthly where is_commended or is_criticised"
    ).fetchone()
    threshold = warehouse.execute("select min(evidence_threshold) from assessment_unit_monthly").fetchone()[0]
    assert commended[0] > 0 and commended[1] >= threshold == 0.5
