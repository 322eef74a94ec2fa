"""The warehouse built on a tiny hand-made landing database (tests/fixtures/landing.py).

Every expected value below is computed by hand from the story told in tests/fixtures/landing.py, not read
back from the marts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from fanzha.build import BuildResult, build_warehouse
from fanzha.core.paths import WAREHOUSE_PROJECT, DataHome
from tests.fixtures.cli import run_fanzha
from tests.fixtures.landing import create_landing

pytestmark = pytest.mark.dbt  # builds the warehouse with dbt: not in `make test-fast`

JIASONG = "130506101"
JINGZHUANG = "130506101201"
NOV = date(2023, 11, 1)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    home = DataHome(tmp_path_factory.mktemp("tiny_home"))
    create_landing(home.landing)
    out = home.build / "t1" / "warehouse.duckdb"
    return build_warehouse(home, out, quiet=True), out


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("use marts")  # plain names are marts; other layers as staging.x, intermediate.x
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def kpi(path: Path, unit: str, month: date, *columns: str) -> tuple:
    rows = query(path, f"select {', '.join(columns)} from kpi_unit_monthly where unit_code = ? and month = ?", [unit, month])
    assert len(rows) == 1, (unit, month, rows)
    return rows[0]


def test_build_passes_every_test(tiny):
    result, out = tiny
    assert result.ok, result.failures
    assert result.models >= 25 and result.tests >= 100
    assert out.exists()
    assert (out.parent / "dbt_target" / "run_results.json").exists()  # target path beside the output


def test_published_file_has_only_tables(tiny):
    _, out = tiny
    views = query(out, "select table_name from information_schema.tables where table_type <> 'BASE TABLE'")
    assert views == []


def test_each_layer_in_its_own_schema(tiny):
    _, out = tiny
    layers = dict(query(out, "select schema_name, count(*) from duckdb_tables() group by schema_name"))
    # Every seed and every staging and intermediate model of the project in its layer's schema (the ephemeral
    # stg_landing__record_versions is no table); the marts.
    seeds = len(list((WAREHOUSE_PROJECT / "seeds").glob("*.csv")))
    staging = sum("materialized='ephemeral'" not in f.read_text(encoding="utf-8")
                  for f in (WAREHOUSE_PROJECT / "models" / "staging").rglob("*.sql"))
    intermediate = len(list((WAREHOUSE_PROJECT / "models" / "intermediate").glob("*.sql")))
    assert set(layers) == {"reference", "staging", "intermediate", "marts"}
    assert (layers["reference"], layers["staging"], layers["intermediate"]) == (seeds, staging, intermediate)
    assert query(out, "select count(*) from duckdb_tables() where schema_name = 'marts' and table_name like 'stg%'") == [(0,)]


def test_first_contact_buckets_and_overdue_leads(tiny):
    _, out = tiny
    # A1 first contacted after 30 min (10–30 minutes, closed above), A2 by a contact before its export (0 min),
    # A3 after 120 min (1–2 hours, closed above; overdue), A4 (a phone warning) never contacted (overdue).
    rows = query(out, "select alert_id, first_contact_bucket, first_contact_bucket_label, first_contact_bucket_order, "
                      "is_overdue_first_contact from fct_alerts order by alert_id")
    assert rows == [("A1", "10m_30m", "10-30分钟", 2, False), ("A2", "le_10m", "10分钟内", 1, False),
                    ("A3", "1h_2h", "1-2小时", 4, True), ("A4", None, None, None, True)]
    # Of 贾宋镇's three November fund leads all were contacted and A3 is overdue (A4 is no fund lead).
    assert kpi(out, JIASONG, NOV, "contacted_rate", "fund_leads_overdue") == (1.0, 1)


def test_month_on_month(tiny):
    _, out = tiny
    # 贾宋镇: nothing in October, 4 leads and 3 cases in November, none in December; 132,000 元 stopped in
    # November, 5,000 元 in December; face to face 2 of 3 fund leads in November, no fund lead in December.
    assert kpi(out, JIASONG, NOV, "leads_prev_month", "leads_mom", "cases_mom") == (0, None, None)
    dec = kpi(out, JIASONG, date(2023, 12, 1), "leads_mom", "cases_mom", "intercepted_amount_mom",
              "face_to_face_rate_prev_month", "face_to_face_rate_mom_change", "post_warning_victims_mom_change")
    assert dec == (-1.0, -1.0, pytest.approx(5_000 / 132_000 - 1), pytest.approx(2 / 3), None, -2)
    # The first month of the data has no previous month.
    first = query(out, "select leads_prev_month, cases_mom, face_to_face_rate_mom_change from kpi_district_monthly "
                       "order by month limit 1")
    assert first == [(None, None, None)]


def test_process_rates_of_three_fund_leads(tiny):
    _, out = tiny
    # A1: face to face (home visit), all four parties across two contacts, 三清 in one contact, checklist,
    #     回访, dissuaded, 30 min. A2: warning room 10 min before the export (0 min), three parties only,
    #     三清 split over two contacts, latest outcome 拒不配合, escalated. A3: phone only, 120 min, dissuaded.
    got = kpi(out, JIASONG, NOV, "leads", "fund_leads", "leads_contacted", "fund_leads_contacted",
              "face_to_face_rate", "four_party_rate", "three_clear_rate", "checklist_rate", "follow_up_rate",
              "dissuaded_rate", "first_contact_within_60min_rate", "median_minutes_to_first_contact")
    assert got[:4] == (4, 3, 3, 3)
    assert got[4:] == pytest.approx((2 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 30.0))


def test_stage_counts_of_three_fund_leads(tiny):
    _, out = tiny
    # The same three leads counted: contacted A1 A2 A3; within 60 min A1 (30) A2 (0); face to face A1 A2;
    # four parties A1; 三清 in one contact A1; checklist A1; 回访 A1; dissuaded A1 A3.
    stages = ("fund_leads_contacted", "fund_leads_within_60min", "fund_leads_face_to_face", "fund_leads_four_party",
              "fund_leads_three_clear", "fund_leads_checklist", "fund_leads_follow_up", "fund_leads_dissuaded")
    assert kpi(out, JIASONG, NOV, *stages) == (3, 2, 2, 1, 1, 1, 1, 2)
    # Each rate is its count over the month's fund leads, in both marts, every row.
    pairs = (("fund_leads_within_60min", "first_contact_within_60min_rate"), ("fund_leads_face_to_face", "face_to_face_rate"),
             ("fund_leads_four_party", "four_party_rate"), ("fund_leads_three_clear", "three_clear_rate"),
             ("fund_leads_checklist", "checklist_rate"), ("fund_leads_follow_up", "follow_up_rate"),
             ("fund_leads_dissuaded", "dissuaded_rate"))
    for table in ("kpi_unit_monthly", "kpi_district_monthly"):
        off = " or ".join(f"(fund_leads = 0 and ({rate} is not null or {count} <> 0)) "
                          f"or (fund_leads > 0 and abs({rate} * fund_leads - {count}) > 1e-9)" for count, rate in pairs)
        assert query(out, f"select count(*) from {table} where {off}") == [(0,)], table
    district = query(out, f"select {', '.join(stages)} from kpi_district_monthly where month = ?", [NOV])
    assert district == [(3, 2, 2, 1, 1, 1, 1, 2)]  # 贾宋镇's three are all of November's fund leads


def test_money_of_the_month(tiny):
    _, out = tiny
    amount_at_risk, intercepted, share = kpi(out, JIASONG, NOV, "amount_at_risk", "intercepted_amount", "intercepted_share")
    assert amount_at_risk == pytest.approx(260_000)  # A1 200,000 (corrected re-export) + A2 50,000 + A3 10,000
    assert intercepted == pytest.approx(132_000)  # I1, stopped in November; I2 (5,000) is December's
    assert share == pytest.approx((132_000 + 5_000) / 260_000)  # money stopped any time on November's fund leads
    assert kpi(out, JIASONG, date(2023, 12, 1), "intercepted_amount") == (pytest.approx(5_000),)


def test_corrected_re_export_wins(tiny):
    _, out = tiny
    # A1's first export said 和阳镇; the later file moved it to 贾宋镇.
    assert kpi(out, "130506100", NOV, "leads") == (0,)
    assert query(out, "select township_code from fct_alerts where alert_id = 'A1'") == [(JIASONG,)]


def test_cases_post_warning_and_repeat_victims(tiny):
    _, out = tiny
    got = kpi(out, JIASONG, NOV, "cases", "loss_amount", "post_warning_victims", "repeat_victims", "cases_per_10k")
    assert got[0] == 3 and got[2:4] == (2, 1)  # K1 (same ID) and K2 (same phone) warned; K4 had K3 before
    assert got[1] == pytest.approx(9_999.99 + 10_000 + 1_000)
    assert got[4] == pytest.approx(3 * 10_000 / 22_015)  # 贾宋镇 resident population
    flags = dict(query(out, "select case_id, is_post_warning or is_repeat_victim from fct_cases"))
    assert flags == {"K1": True, "K2": True, "K3": False, "K4": True}
    bands = dict(query(out, "select case_id, loss_band from fct_cases"))
    assert bands == {"K1": "lt_10k", "K2": "10k_50k", "K3": "ge_50k", "K4": "lt_10k"}


def test_village_and_member_units(tiny):
    _, out = tiny
    assert kpi(out, JINGZHUANG, NOV, "leads", "fund_leads", "cases") == (3, 3, 2)  # A4, K4 have no village
    assert kpi(out, "130506M03", NOV, "leads", "fund_leads") == (1, 1)  # A3 works at 南和区人民医院 → 卫健
    assert kpi(out, "130506M02", NOV, "cases", "repeat_victims", "activities_publicity") == (1, 1, 1)  # 和阳镇中学 → 教育


def test_every_unit_every_month_with_zeros(tiny):
    _, out = tiny
    units = query(out, "select count(*) from dim_units where unit_kind in ('township', 'village', 'member_unit')")[0][0]
    assert units == 8 + 218 + 13  # scale 1: Nanhe only, no clone district
    months = query(out, "select min(month), max(month), count(*) from dim_months")[0]
    assert months == (date(2022, 11, 1), date(2023, 12, 1), 14)  # K3 (2022-11) … I2 (2023-12)
    assert query(out, "select count(*) from kpi_unit_monthly") == [(units * 14,)]
    assert kpi(out, "130506203", date(2023, 5, 1), "leads", "cases", "loss_amount", "face_to_face_rate") == (0, 0, 0.0, None)


def test_year_on_year(tiny):
    _, out = tiny
    # 贾宋镇: K3 (50,000) in 2022-11, three cases (20,999.99) in 2023-11; no leads a year earlier.
    got = kpi(out, JIASONG, NOV, "cases_prev_year", "cases_yoy", "loss_amount_yoy", "leads_prev_year", "leads_yoy")
    assert got == (1, pytest.approx(2.0), pytest.approx(20_999.99 / 50_000 - 1), 0, None)
    assert kpi(out, JIASONG, date(2022, 11, 1), "cases_prev_year", "cases_yoy") == (None, None)


def test_district_rolling_twelve_months(tiny):
    _, out = tiny
    rows = query(out, "select month, cases, cases_12m, leads_12m from kpi_district_monthly order by month")
    assert [r[2] for r in rows[:11]] == [None] * 11  # fewer than 12 months of data
    assert rows[12] == (NOV, 3, 3, 4)  # 2022-12 … 2023-11: K3 has left the window


def test_loss_bands_and_victim_profile(tiny):
    _, out = tiny
    bands = query(out, "select loss_band, cases, case_share, loss_amount from case_loss_bands "
                       "where period = 'Y0+Y1' order by display_order")
    assert bands == [("lt_10k", 2, pytest.approx(0.5), pytest.approx(10_999.99)),
                     ("10k_50k", 1, pytest.approx(0.25), pytest.approx(10_000)),
                     ("ge_50k", 1, pytest.approx(0.25), pytest.approx(50_000))]
    ages = dict(query(out, "select category, victims from victim_profile where period = 'Y0+Y1' and dimension = 'age_band'"))
    assert ages == {"20岁以下": 1, "30-39岁": 3}


def test_quality_marts(tiny):
    _, out = tiny
    assert sorted(query(out, "select feed, reason_code, field, rows, reason_rows, total_rows from dq_quarantine_summary")) == [
        ("alerts", "negative_amount", "amount_at_risk", 1, 1, 2), ("cases", "unknown_township", "township", 1, 1, 2)]
    fresh = dict(query(out, "select feed, files from dq_feed_freshness"))
    assert fresh == {"alerts": 2, "cases": 1, "contacts": 0, "interceptions": 0, "activities": 0}
    # Latest month with a record: December (I2, 2023-12-01), so every feed is measured to 2024-01-01.
    behind = dict(query(out, "select feed, days_behind from dq_feed_freshness where period_end = '2024-01-01'"))
    assert behind == {"alerts": 41, "contacts": 42, "interceptions": 31, "cases": 34, "activities": 58}


def test_failing_data_test_is_reported_by_name(tmp_path: Path):
    home = DataHome(tmp_path)
    create_landing(home.landing)
    con = duckdb.connect(str(home.landing))
    con.execute("update cases set township_code = '130506999' where case_id = 'K4'")  # no such township
    con.close()
    result = build_warehouse(home, home.build / "bad" / "warehouse.duckdb", quiet=True, select="+fct_cases")
    assert not result.ok
    assert any("relationships_fct_cases_township_code" in f for f in result.failures), result.failures


def test_a_null_required_column_fails_the_model_s_not_null_columns_test(tmp_path: Path):
    # T2 landed without a unit (a landing the door would have quarantined): stg_landing__activities' required
    # columns are activity_id, activity_date and unit_code, checked by one not_null_columns test.
    home = DataHome(tmp_path)
    create_landing(home.landing)
    con = duckdb.connect(str(home.landing))
    con.execute("update activities set unit_code = null where activity_id = 'T2'")
    con.close()
    out = home.build / "bad" / "warehouse.duckdb"
    result = build_warehouse(home, out, quiet=True, select="stg_landing__activities", unit_tests=False)
    assert not result.ok
    assert [f.split(":")[0] for f in result.failures] == [
        "test not_null_columns_stg_landing__activities_activity_id__activity_date__unit_code"
    ], result.failures
    assert "Got 1 result" in result.failures[0]


def test_cli_without_landing_fails_clearly(tmp_path: Path):
    result = run_fanzha(tmp_path, "build", check=False)
    assert result.returncode == 1
    assert "landing" in result.stderr and "fanzha ingest" in result.stderr
    assert "Traceback" not in result.stderr


def test_docs_site_describes_the_marts(tiny, tmp_path: Path):
    import json

    from fanzha.build_docs import generate_docs

    _, out = tiny
    home = DataHome(out.parents[2])
    site = generate_docs(home, tmp_path / "docs", warehouse=out)
    assert site.exists() and site.stat().st_size > 100_000
    catalog = json.loads((tmp_path / "docs" / "catalog.json").read_text(encoding="utf-8"))
    assert "model.fanzha.kpi_unit_monthly" in catalog["nodes"]
    manifest = json.loads((tmp_path / "docs" / "manifest.json").read_text(encoding="utf-8"))
    kpi = manifest["nodes"]["model.fanzha.kpi_unit_monthly"]
    assert "资金预警" in kpi["description"] and kpi["config"]["meta"]["grain"] == ["unit_code", "month"]


def test_summary_counts_and_names_failures_and_warnings():
    from fanzha.build import _NodeOutcome, summarise

    outcomes = [
        _NodeOutcome("seed", "townships", "success", ""),
        _NodeOutcome("model", "fct_cases", "success", ""),
        _NodeOutcome("model", "kpi_unit_monthly", "error", "Binder Error"),
        _NodeOutcome("test", "unique_fct_cases_case_id", "pass", ""),
        _NodeOutcome("test", "relationships_fct_contacts_alert_id", "warn", "Got 2 results"),
        _NodeOutcome("unit_test", "loss_band_edges", "fail", "actual differs from expected"),
    ]
    result = summarise(outcomes, 2.5, None)
    assert (result.ok, result.models, result.tests) == (False, 2, 3)
    assert result.failures == ["model kpi_unit_monthly: error — Binder Error",
                               "unit_test loss_band_edges: fail — actual differs from expected"]
    assert result.warnings == ["test relationships_fct_contacts_alert_id: Got 2 results"]
    assert summarise(outcomes[:2], 1.0, None).ok
    assert summarise([], 1.0, RuntimeError("Parsing Error\nline 2")).failures == ["dbt: Parsing Error"]


def test_build_command_leaves_unit_tests_to_ci():
    from fanzha.build import build_command

    assert build_command(full_refresh=False, select=None, unit_tests=True) == ["build"]
    assert build_command(full_refresh=True, select="kpi_unit_monthly+", unit_tests=False) == [
        "build", "--full-refresh", "--select", "kpi_unit_monthly+", "--exclude-resource-type", "unit_test"
    ]


def test_parse_info_says_whether_the_saved_parse_was_reused():
    from fanzha.build import ParseInfo

    assert ParseInfo(0.84, reused=True).describe() == "parse 0.8 s, saved parse reused"
    assert ParseInfo(6.2, reused=False, reason="profile has changed").describe() == (
        "parse 6.2 s, full parse (profile has changed)"
    )
