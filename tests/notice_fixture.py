"""A tiny published warehouse holding only what the notice reads (hand-made rows, no dbt).

Townships of 南和区 in November 2023, inserted out of rank order on purpose; member units; the
article's interception (贾宋镇 井庄村 赵某, 132,000 元) and a smaller one; district totals.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

MONTH = "2023-11-01"

# unit_code, name, kind, score, rank, prev rank, p05, p95, overlaps, commended, criticised,
# fund_leads, face_to_face, four_party, cases, loss, intercepted, post_warning
RANKING = [
    ("130506103", "三思镇", "township", 61.25, 4, 2, 3, 4, "郝桥镇", False, False, 9, 0.78, 0.44, 3, 52000.0, 0.0, 0),
    ("130506100", "和阳镇", "township", 91.50, 1, 3, 1, 1, None, True, False, 20, 1.00, 0.95, 1, 3000.0, 150000.0, 0),
    ("130506101", "贾宋镇", "township", 80.00, 2, 1, 2, 3, "郝桥镇", True, False, 12, 1.00, 0.83, 2, 8000.0, 132000.0, 0),
    ("130506102", "郝桥镇", "township", 80.00, 2, None, 2, 4, "贾宋镇、三思镇", True, False, 11, 0.91, 0.73, 2, 9000.0, 0.0, 0),
    ("130506200", "东三召乡", "township", 35.40, 5, 4, 5, 5, None, False, True, 4, 0.25, 0.00, 6, 240000.0, 0.0, 1),
    ("130506M02", "区教育局", "member_unit", 77.00, 1, 1, 1, 2, "区卫健局", True, False, 3, 1.00, 1.00, 0, 0.0, 0.0, 0),
    ("130506M03", "区卫健局", "member_unit", 66.00, 2, 2, 1, 2, "区教育局", True, False, 2, 0.50, 0.50, 1, 12000.0, 0.0, 0),
]

SCHEMA = """
create schema marts;
use marts;
create table dim_units (unit_code varchar, unit_name varchar, unit_kind varchar, district_code varchar);
create table ranking_unit_monthly (
    unit_code varchar, unit_name varchar, unit_kind varchar, district_code varchar, month date,
    total_score double, rank integer, units_in_kind integer, rank_prev_month integer, rank_change integer,
    score_change double, is_commended boolean, is_criticised boolean, rank_p05 integer, rank_p95 integer,
    indistinguishable_units integer, indistinguishable_from varchar, scheme_version varchar);
create table kpi_unit_monthly (
    unit_code varchar, month date, fund_leads bigint, face_to_face_rate double, four_party_rate double,
    first_contact_within_60min_rate double, three_clear_rate double, cases bigint, loss_amount double,
    intercepted_amount double, post_warning_victims bigint);
create table kpi_district_monthly (
    district_code varchar, month date, leads bigint, fund_leads bigint, face_to_face_rate double,
    four_party_rate double, intercepted_amount double, cases bigint, loss_amount double,
    post_warning_victims bigint, leads_yoy double, fund_leads_yoy double, cases_yoy double,
    loss_amount_yoy double, intercepted_amount_yoy double);
create table fct_interceptions (
    interception_id varchar, stopped_at timestamp, month date, interception_method varchar, amount double,
    name_masked varchar, district_code varchar, township_code varchar, village_code varchar);
"""


def build_notice_warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        con.execute("insert into dim_units values ('130506', '南和区', 'district', '130506'),"
                    "('130506101', '贾宋镇', 'township', '130506'), ('130506101017', '井庄村', 'village', '130506'),"
                    "('130506100', '和阳镇', 'township', '130506'), ('130506100001', '和阳社区', 'village', '130506')")
        units_in_kind = {"township": 5, "member_unit": 2}
        for (code, name, kind, score, rank, prev, p05, p95, overlaps, good, bad,
             fund_leads, f2f, four, cases, loss, intercepted, post) in RANKING:
            con.execute(
                "insert into ranking_unit_monthly values (?, ?, ?, '130506', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2023.1')",
                [code, name, kind, MONTH, score, rank, units_in_kind[kind], prev,
                 None if prev is None else prev - rank, None if prev is None else 1.5, good, bad, p05, p95,
                 0 if overlaps is None else overlaps.count("、") + 1, overlaps])
            con.execute("insert into kpi_unit_monthly values (?, ?, ?, ?, ?, 0.9, 0.8, ?, ?, ?, ?)",
                        [code, MONTH, fund_leads, f2f, four, cases, loss, intercepted, post])
        con.execute("insert into kpi_district_monthly values ('130506', ?, 61, 41, 1.0, 0.78, 282000.0, 14, "
                    "323000.0, 1, -0.5, -0.869, -0.3, -0.778, null)", [MONTH])
        con.execute("insert into fct_interceptions values "
                    "('I1', '2023-11-14 10:20:00', ?, '紧急止付', 132000.0, '赵某', '130506', '130506101', '130506101017'),"
                    "('I2', '2023-11-03 09:00:00', ?, '冻结', 150000.0, '李某', '130506', '130506100', '130506100001'),"
                    "('I3', '2023-10-30 09:00:00', '2023-10-01', '冻结', 99000.0, '王某', '130506', '130506100', null)",
                    [MONTH, MONTH])
    finally:
        con.close()
    return path
