"""A small hand-made published warehouse for the dashboard tests (contract §4 tables, a few known rows).

The month under test is 2024-06 (M); every figure the tests check is written here by hand:

    district 130506 南和区, M:      leads 40 (yoy −50 %), fund leads 20 (yoy −60 %), of them contacted 19,
                                   face to face 19 (95 %), four-party 16 (80 %), 三清 15 (75 %), dissuaded 14 (70 %),
                                   intercepted 123,456 元 (12.35 万元, yoy +25 %), cases 5 (yoy −50 %),
                                   loss 98,765.4 元 (9.88 万元, yoy −50 %), post-warning victims 0
    district, M−1 (2024-05):       leads 50 (→ 环比 ↓ 20.0 %), face-to-face 90 % (→ ↑ 5.0个百分点)
    district, M−12 (2023-06):      face-to-face 85 % (→ 同比 ↑ 10.0个百分点)
    district, Y1 end (2024-02):    fund_leads_12m 131 (yoy −86.9 %), loss_amount_12m 3,350,000 元 (335.00 万元, −77.8 %)
    township ranking at M:         和阳镇 rank 1 (88.50), 贾宋镇 rank 2 (80.25); intervals 1–2 and 1–2 (overlap)
    member-unit ranking at M:      区教育局 rank 1 (91.00), 区公安分局 rank 2 (70.00)
    和阳镇 at M:                    leads 25, fund leads 12
    Y0+Y1 loss bands:              74.1 / 19.2 / 6.7 % of cases; 335 / 373 / 799 万元 (22.2 / 24.8 / 53.0 %)
    quarantine:                    alerts/bad_datetime/issued_at 3 rows; cases/negative_amount/loss_amount 2 rows

Row scopes (tests/test_access_scope.py): police station PS01 covers 和阳镇, PS02 贾宋镇 (warehouse/seeds).

    fund leads of M:   A001 A002 A003 和阳镇/和阳村 (A003 also 区教育局), A004 A005 贾宋镇/井庄村; A900 (phone) 贾宋镇
    cases:             C001 赵某 贾宋镇/井庄村 (post-warning), C002 钱某 和阳镇/和阳村 区教育局 (repeat)
    interceptions, M:  I002 赵某 井庄村 132,000 元; I001 孙某 和阳村 50,000 元; I003 李某 和阳村 区教育局 8,000 元
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

DISTRICT = "130506"
T1, T2 = "130506100", "130506101"
V1, V2 = "130506100001", "130506101001"
M1, M2 = "130506M01", "130506M02"
MONTH = date(2024, 6, 1)
FIRST, LAST = date(2022, 3, 1), date(2024, 6, 1)

UNITS = [
    (DISTRICT, "南和区", "district", None, DISTRICT, None, 300000, 400000),
    (T1, "和阳镇", "township", DISTRICT, DISTRICT, T1, 54576, 85826),
    (T2, "贾宋镇", "township", DISTRICT, DISTRICT, T2, 22015, 53494),
    (V1, "和阳村", "village", T1, DISTRICT, T1, 3000, 4000),
    (V2, "井庄村", "village", T2, DISTRICT, T2, 2000, 3000),
    (M1, "区公安分局", "member_unit", DISTRICT, DISTRICT, None, 620, 620),
    (M2, "区教育局", "member_unit", DISTRICT, DISTRICT, None, 41800, 41800),
]
NAMES = {code: name for code, name, *_ in UNITS}
OVERLAP = {T1: "贾宋镇", T2: "和阳镇"}
MAIN = ("leads", "fund_leads", "cases", "loss_amount", "intercepted_amount")
# The marts' count of the month's fund leads at each stage, with its rate (rate = count ÷ fund_leads).
STAGES = (("fund_leads_within_60min", "first_contact_within_60min_rate"), ("fund_leads_face_to_face", "face_to_face_rate"),
          ("fund_leads_four_party", "four_party_rate"), ("fund_leads_three_clear", "three_clear_rate"),
          ("fund_leads_checklist", "checklist_rate"), ("fund_leads_follow_up", "follow_up_rate"),
          ("fund_leads_dissuaded", "dissuaded_rate"))


def months() -> list[date]:
    out, m = [], FIRST
    while m <= LAST:
        out.append(m)
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def model_year(m: date) -> str | None:
    if date(2022, 3, 1) <= m <= date(2023, 2, 1):
        return "Y0"
    if date(2023, 3, 1) <= m <= date(2024, 2, 1):
        return "Y1"
    return None


def _measures(i: int, scale: float) -> dict[str, object]:
    """Generic, plausible values for month index i (overridden where a test checks a figure)."""
    leads = round((60 - i) * scale)
    return {
        "leads": leads, "fund_leads": round(leads / 2), "amount_at_risk": 50000.0 * scale,
        "leads_contacted": leads, "fund_leads_contacted": round(leads / 2),
        "median_minutes_to_first_contact": 30.0, "first_contact_within_60min_rate": 0.9,
        "face_to_face_rate": 0.7, "four_party_rate": 0.6, "three_clear_rate": 0.5, "checklist_rate": 0.8,
        "follow_up_rate": 0.6, "dissuaded_rate": 0.9, "intercepted_amount": 10000.0 * scale,
        "intercepted_share": 0.2, "cases": round(10 * scale), "loss_amount": 100000.0 * scale,
        "recovered_amount": 1000.0 * scale, "cases_per_10k": 0.3, "loss_per_10k": 3000.0,
        "post_warning_victims": 1 if i < 12 else 0, "repeat_victims": 1 if i < 12 else 0,
        "activities_training": 2, "activities_publicity": 3, "activities_warning_education": 1,
        "activities_supervision": 1, "activities_total": 7, "activities_per_10k": 0.2,
        **{f"{m}_prev_year": None for m in MAIN}, **{f"{m}_yoy": None for m in MAIN},
    }


def _district_rows() -> pd.DataFrame:
    rows = []
    for i, m in enumerate(months()):
        row = {"district_code": DISTRICT, "month": m, "population": 300000, **_measures(i, 1.0)}
        row.update({f"{k}_12m": None for k in MAIN} | {f"{k}_12m_yoy": None for k in MAIN})
        rows.append(row)
    df = pd.DataFrame(rows).set_index("month", drop=False)
    known = {
        MONTH: {"leads": 40, "leads_yoy": -0.5, "fund_leads": 20, "fund_leads_yoy": -0.6, "face_to_face_rate": 0.95,
                "four_party_rate": 0.8, "intercepted_amount": 123456.0, "intercepted_amount_yoy": 0.25, "cases": 5,
                "cases_yoy": -0.5, "loss_amount": 98765.4, "loss_amount_yoy": -0.5, "post_warning_victims": 0,
                "fund_leads_contacted": 19, "three_clear_rate": 0.75, "dissuaded_rate": 0.7},
        date(2024, 5, 1): {"leads": 50, "face_to_face_rate": 0.9},
        date(2023, 6, 1): {"face_to_face_rate": 0.85},
        date(2024, 2, 1): {"fund_leads_12m": 131, "fund_leads_12m_yoy": -0.869, "loss_amount_12m": 3350000.0,
                           "loss_amount_12m_yoy": -0.778, "leads_12m": 300, "leads_12m_yoy": -0.7,
                           "cases_12m": 100, "cases_12m_yoy": -0.6},
        date(2023, 2, 1): {"fund_leads_12m": 1000, "loss_amount_12m": 15090090.0, "leads_12m": 1000, "cases_12m": 250},
    }
    for m, values in known.items():
        for column, value in values.items():
            df.loc[m, column] = value
    return _with_stage_counts(df.reset_index(drop=True), {MONTH: {
        "fund_leads_face_to_face": 19, "fund_leads_four_party": 16, "fund_leads_three_clear": 15,
        "fund_leads_dissuaded": 14}})


def _with_stage_counts(df: pd.DataFrame, known: dict[date, dict[str, int]]) -> pd.DataFrame:
    """Stage counts: the hand-known ones (consistent with their rates), elsewhere rate × fund_leads rounded."""
    out = df.copy()
    for count, rate in STAGES:
        out[count] = (out[rate].astype(float) * out["fund_leads"].astype(float)).round().astype("int64")
    for m, values in known.items():
        for column, value in values.items():
            out.loc[out["month"] == m, column] = value
    return out


def _unit_rows() -> pd.DataFrame:
    rows = []
    for code, name, kind, _parent, district, township, pop, _reg in UNITS:
        if kind == "district":
            continue
        scale = {"township": 0.5, "village": 0.1, "member_unit": 0.2}[kind]
        for i, m in enumerate(months()):
            rows.append({"unit_code": code, "unit_name": name, "unit_kind": kind, "district_code": district,
                         "township_code": township, "month": m, "population": pop, **_measures(i, scale)})
    df = pd.DataFrame(rows)
    hit = (df["unit_code"] == T1) & (df["month"] == MONTH)
    df.loc[hit, ["leads", "fund_leads"]] = [25, 12]
    return _with_stage_counts(df, {})


def _ranking() -> tuple[pd.DataFrame, pd.DataFrame]:
    ranks, scores = [], []
    indicators = (("face_to_face_rate", 30.0, "见面劝阻率"), ("four_party_rate", 30.0, "四方参与率"),
                  ("cases_per_10k", 40.0, "每万人发案数"))
    for i, m in enumerate(months()):
        table = {
            T1: (1, 88.5, 1, 2), T2: (2, 80.25, 1, 2), M2: (1, 91.0, 1, 1), M1: (2, 70.0, 2, 2),
        } if m == MONTH else {T1: (2, 70.0 + i * 0.1, 1, 2), T2: (1, 75.0, 1, 2), M2: (1, 80.0, 1, 1), M1: (2, 60.0, 2, 2)}
        for code, (rank, total, p05, p95) in table.items():
            kind = "township" if code.startswith("1305061") else "member_unit"
            ranks.append({"unit_code": code, "unit_name": NAMES[code], "month": m, "unit_kind": kind,
                          "district_code": DISTRICT,
                          "total_score": total, "rank": rank, "units_in_kind": 2, "rank_prev_month": None,
                          "rank_change": None, "score_change": None, "is_commended": rank == 1,
                          "is_criticised": rank == 2, "rank_p05": p05, "rank_p95": p95,
                          "indistinguishable_units": 1 if p05 != p95 else 0,
                          "indistinguishable_from": OVERLAP.get(code) if p05 != p95 else None, "scheme_version": "v1"})
            share = total / 100
            for indicator, weight, indicator_label in indicators:
                scores.append({"unit_code": code, "unit_name": NAMES[code], "unit_kind": kind, "district_code": DISTRICT,
                               "month": m, "indicator": indicator, "indicator_label": indicator_label,
                               "raw_value": share, "normalised": share, "weight": weight, "weight_applied": weight,
                               "points": weight * share, "scheme_version": "v1"})
    ranking = pd.DataFrame(ranks).sort_values(["unit_code", "month"])
    ranking["rank_prev_month"] = ranking.groupby("unit_code")["rank"].shift(1)
    ranking["rank_change"] = ranking["rank_prev_month"] - ranking["rank"]
    ranking["score_change"] = ranking["total_score"] - ranking.groupby("unit_code")["total_score"].shift(1)
    return ranking, pd.DataFrame(scores)


def _bands_and_profile() -> tuple[pd.DataFrame, pd.DataFrame]:
    bands = []
    article = (("ge_50k", "5万元以上", 3, 67, 0.067, 7990000.0, 0.530),  # stored out of order on purpose
               ("lt_10k", "1万元以下", 1, 741, 0.741, 3350000.0, 0.222),
               ("10k_50k", "1万至5万元", 2, 192, 0.192, 3730000.0, 0.248))
    for period, factor in (("Y0+Y1", 1.0), ("Y0", 0.8), ("Y1", 0.2), ("2023", 0.5)):
        for band, band_label, order, n, share, loss, loss_share in article:
            bands.append({"district_code": DISTRICT, "period": period, "loss_band": band, "loss_band_label": band_label,
                          "display_order": order, "cases": round(n * factor),
                          "case_share": share, "loss_amount": loss * factor, "loss_share": loss_share})
    profile = []
    dims = {"age_band": [("20-29岁", 400, 0.4), ("30-39岁", 350, 0.35), ("40-50岁", 180, 0.18), ("60岁及以上", 70, 0.07)],
            "gender": [("女", 600, 0.6), ("男", 400, 0.4)],
            "occupation": [("医务人员", 150, 0.15), ("教师", 120, 0.12), ("学生", 300, 0.3), ("家庭主妇", 430, 0.43)],
            "employer_system": [("卫健", 150, 0.15), ("教育", 420, 0.42)],
            "fraud_type": [("刷单返利", 500, 0.5), ("虚假网络投资理财", 300, 0.3), ("其他", 200, 0.2)]}
    for period in ("Y0+Y1", "Y0", "Y1"):
        for dim, cats in dims.items():
            for order, (cat, n, share) in enumerate(cats):
                profile.append({"district_code": DISTRICT, "period": period, "dimension": dim, "category": cat,
                                "category_order": order + 1,
                                "victims": n, "share": share, "loss_amount": n * 10000.0})
    return pd.DataFrame(bands), pd.DataFrame(profile)


def _facts() -> tuple[pd.DataFrame, pd.DataFrame]:
    alerts = []
    minutes = [5, 20, 45, 90, None]  # the last lead was never contacted (overdue)
    for k, mins in enumerate(minutes):
        issued = datetime(2024, 6, 3 + k, 9, 0)
        alerts.append({"alert_id": f"A{k + 1:03d}", "issued_at": issued, "alert_type": "资金预警", "is_fund_warning": True,
                       "district_code": DISTRICT, "township_code": T1 if k < 3 else T2,
                       "village_code": V1 if k < 3 else V2, "member_unit_code": M2 if k == 2 else None, "month": MONTH,
                       "amount_at_risk": 10000.0, "contacted": mins is not None,
                       "minutes_to_first_contact": mins, "face_to_face": mins is not None, "four_party": k < 2,
                       "three_clear": k < 3, "dissuaded": mins is not None, "intercepted_amount": 0.0})
    alerts.append({**alerts[-1], "alert_id": "A900", "alert_type": "电话预警", "is_fund_warning": False,
                   "contacted": False, "minutes_to_first_contact": None})
    cases = [
        {"case_id": "C001", "occurred_at": datetime(2023, 1, 10), "month": date(2023, 1, 1), "district_code": DISTRICT,
         "township_code": T2, "village_code": V2, "member_unit_code": None, "name_masked": "赵某",
         "phone_masked": "138****0001", "person_key": "p1", "loss_amount": 132000.0, "fraud_type": "刷单返利",
         "age": 35, "is_post_warning": True, "is_repeat_victim": False, "loss_band": "ge_50k", "age_band": "30_39"},
        {"case_id": "C002", "occurred_at": datetime(2023, 2, 10), "month": date(2023, 2, 1), "district_code": DISTRICT,
         "township_code": T1, "village_code": V1, "member_unit_code": M2, "name_masked": "钱某",
         "phone_masked": "139****0002", "person_key": "p2", "loss_amount": 5000.0, "fraud_type": "其他",
         "age": 41, "is_post_warning": False, "is_repeat_victim": True, "loss_band": "lt_10k", "age_band": "40_50"},
    ]
    return pd.DataFrame(alerts), pd.DataFrame(cases)


def _interceptions() -> pd.DataFrame:
    rows = (("I001", "A001", 5, T1, V1, None, "孙某", 50000.0), ("I002", "A004", 10, T2, V2, None, "赵某", 132000.0),
            ("I003", "A003", 12, T1, V1, M2, "李某", 8000.0))
    return pd.DataFrame([
        {"interception_id": iid, "alert_id": alert, "case_id": None, "stopped_at": datetime(2024, 6, day, 15, 0),
         "month": MONTH, "interception_method": "紧急止付", "amount": amount, "bank": "某银行",
         "police_station": None, "lead_issued_at": datetime(2024, 6, day, 9, 0), "lead_month": MONTH,
         "person_key": f"p-{iid}", "name_masked": name, "district_code": DISTRICT, "township_code": town,
         "village_code": village, "member_unit_code": member}
        for iid, alert, day, town, village, member, name, amount in rows])


def _quality() -> dict[str, pd.DataFrame]:
    quarantine = pd.DataFrame([
        {"feed": "alerts", "reason_code": "bad_datetime", "field": "issued_at", "rows": 3},
        {"feed": "cases", "reason_code": "negative_amount", "field": "loss_amount", "rows": 2},
    ])
    freshness = pd.DataFrame([
        {"feed": f, "latest_record_at": datetime(2024, 6, 30, 18), "latest_file_loaded_at": datetime(2024, 7, 1, 8),
         "files": 28, "rows_landed": 1000, "rows_quarantined": q}
        for f, q in (("alerts", 3), ("contacts", 0), ("interceptions", 0), ("cases", 2), ("activities", 0))
    ])
    expectations = [
        {"suite": "marts", "table": "kpi_unit_monthly", "expectation": "expect_column_values_to_be_unique",
         "severity": "critical", "success": True, "unexpected_count": 0},
        {"suite": "marts", "table": "fct_cases", "expectation": "expect_column_values_to_be_between",
         "severity": "warning", "success": False, "unexpected_count": 4},
    ]
    publish = pd.DataFrame([{
        "published_at": datetime(2024, 7, 1, 9, 30), "run_id": "20240701T093000-fixture", "code_version": "0.1.0",
        "input_fingerprint": "abc123", "scheme_version": "v1", "expectations_json": json.dumps(expectations),
        "freshness_json": json.dumps({"alerts": "2024-06-30"}),
    }])
    return {"dq_quarantine_summary": quarantine, "dq_feed_freshness": freshness, "fanzha_publish": publish}


CLONE = "990001"  # a synthetic clone district (scale 2): same figures as Nanhe, leads doubled


def _with_clone(units: pd.DataFrame, district: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    clone_unit = pd.DataFrame([(CLONE, "克隆区一", "district", None, CLONE, None, 300000, 400000)], columns=units.columns)
    clone_rows = district.assign(district_code=CLONE, leads=district["leads"] * 2)
    return pd.concat([units, clone_unit], ignore_index=True), pd.concat([district, clone_rows], ignore_index=True)


def build(path: Path, *, clone: bool = False) -> Path:
    """Write the fixture warehouse to `path` (a new DuckDB file) and return it; `clone` adds district 990001."""
    ranking, scores = _ranking()
    bands, profile = _bands_and_profile()
    alerts, cases = _facts()
    tables: dict[str, pd.DataFrame] = {
        "dim_units": pd.DataFrame(UNITS, columns=["unit_code", "unit_name", "unit_kind", "parent_code", "district_code",
                                                   "township_code", "population", "registered_population"]),
        "dim_months": pd.DataFrame([{"month": m, "year": m.year, "month_of_year": m.month, "model_year": model_year(m),
                                     "month_label": f"{m.year}年{m.month}月"} for m in months()]),
        "kpi_district_monthly": _district_rows(), "kpi_unit_monthly": _unit_rows(),
        "ranking_unit_monthly": ranking, "score_unit_monthly": scores,
        "case_loss_bands": bands, "victim_profile": profile, "fct_alerts": alerts, "fct_cases": cases,
        "fct_interceptions": _interceptions(),
        **_quality(),
    }
    if clone:
        tables["dim_units"], tables["kpi_district_monthly"] = _with_clone(tables["dim_units"],
                                                                         tables["kpi_district_monthly"])
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(f"create table {name} as select * from frame")
            con.unregister("frame")
            if "month" in frame.columns:
                con.execute(f"alter table {name} alter column month type date")
    finally:
        con.close()
    return path
