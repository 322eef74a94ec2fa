"""The ten published figures of calibration.md, measured from the warehouse marts of the demo run.

Figures are computed by SQL over the marts (never from the generator) and compared with
tools.calibration_targets.TARGETS.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tools.calibration_targets import TARGETS, Y0, Y1, within

NANHE = "130506"
Y1_END = date(int(Y1[1][:4]), int(Y1[1][5:]), 1)  # figures 1 and 2: the 12 months ending 2024-02 vs a year earlier


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    rows = con.execute(sql, params or []).fetchall()
    assert len(rows) == 1, (sql, rows)
    return rows[0]


def measure(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Every figure, keyed by the target's name."""
    names = [t.name for t in TARGETS]
    got: dict[str, float] = {}
    fund_yoy, loss_yoy = _one(
        con, "select fund_leads_12m_yoy, loss_amount_12m_yoy from kpi_district_monthly where district_code = ? and month = ?",
        [NANHE, Y1_END])
    got[names[0]] = fund_yoy * 100
    got[names[1]] = loss_yoy * 100
    bands = dict(
        (band, (share, loss))
        for band, share, loss in con.execute(
            "select loss_band, case_share, loss_amount from case_loss_bands where district_code = ? and period = 'Y0+Y1'",
            [NANHE]).fetchall())
    for i, band in enumerate(("lt_10k", "10k_50k", "ge_50k")):
        got[names[2 + i]] = bands[band][0] * 100
        got[names[5 + i]] = bands[band][1] / 10_000
    (aged_20_50,) = _one(
        con, "select sum(share) from victim_profile where district_code = ? and period = 'Y0+Y1' "
             "and dimension = 'age_band' and category in ('20-29岁', '30-39岁', '40-50岁')", [NANHE])
    got[names[8]] = aged_20_50 * 100
    (face_to_face,) = _one(
        con, "select sum(k.face_to_face_rate * k.fund_leads) / sum(k.fund_leads) from kpi_district_monthly k "
             "join dim_months m on k.month = m.month where k.district_code = ? and m.model_year = 'Y1'", [NANHE])
    got[names[9]] = face_to_face * 100
    (intercepted,) = _one(
        con, "select sum(i.amount) from fct_interceptions i join dim_months stopped on i.month = stopped.month "
             "join dim_months issued on i.lead_month = issued.month "
             "where i.district_code = ? and stopped.model_year = 'Y1' and issued.model_year = 'Y1'", [NANHE])
    got[names[10]] = intercepted / 10_000
    y1_worst, y1_months, y0_total = _one(
        con, "select max(k.post_warning_victims) filter (where m.model_year = 'Y1'), "
             "count(*) filter (where m.model_year = 'Y1'), "
             "sum(k.post_warning_victims) filter (where m.model_year = 'Y0') "
             "from kpi_district_monthly k join dim_months m on k.month = m.month where k.district_code = ?", [NANHE])
    assert y1_months == 12
    got[names[11]] = y1_worst
    got[names[12]] = y0_total
    (repeat_y0,) = _one(
        con, "select sum(k.repeat_victims) from kpi_district_monthly k join dim_months m on k.month = m.month "
             "where k.district_code = ? and m.model_year = 'Y0'", [NANHE])
    got[names[13]] = repeat_y0
    example = con.execute(
        "select i.amount from fct_interceptions i join dim_units v on i.village_code = v.unit_code "
        "join dim_units t on i.township_code = t.unit_code "
        "where i.month = date '2023-11-01' and v.unit_name = '井庄村' and t.unit_name = '贾宋镇' "
        "and i.name_masked = '赵某' and i.amount = 132000").fetchall()
    got[names[14]] = example[0][0] if len(example) == 1 else float("nan")
    return got


@pytest.mark.e2e
def test_ten_calibration_figures_from_the_marts(demo_home: Path):
    warehouse = demo_home / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute("use marts")  # the published file's one schema
        model_years = dict(con.execute("select model_year, min(month) from dim_months group by 1").fetchall())
        assert model_years["Y0"] == date.fromisoformat(Y0[0] + "-01")
        assert model_years["Y1"] == date.fromisoformat(Y1[0] + "-01")
        got = measure(con)
    finally:
        con.close()
    off = {t.name: (got[t.name], t.rule) for t in TARGETS if not within(t, got[t.name])}
    assert off == {}, "figures outside their tolerance (value, rule): " + repr(off)
