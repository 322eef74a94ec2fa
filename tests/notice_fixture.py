"""A tiny published warehouse holding only what the notice reads (hand-made rows, no dbt).

Townships of 南和区 in November 2023, inserted out of rank order on purpose: five ranked (贾宋镇 and
郝桥镇 tied for second, at the boundary of the two honoured places five ranked units allow) and 河郭镇,
whose own data carries too little weight (本月无可考核事项); member units: two ranked, 农业银行 not; the
article's interception (贾宋镇 井庄村 赵某, 132,000 元) and a smaller one; district totals.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

MONTH = "2023-11-01"
THRESHOLD = 0.5

# unit_code, name, kind, system, score, rank (None: not ranked), prev rank, p05, p95, overlaps, commended,
# criticised, evidence share, fund_leads, face_to_face, four_party, cases, loss, intercepted, post_warning
RANKING = [
    ("130506103", "三思镇", "township", None, 61.25, 4, 2, 3, 4, "郝桥镇", False, True, 1.0, 9, 0.78, 0.44, 3, 52000.0, 0.0, 0),
    ("130506100", "和阳镇", "township", None, 91.50, 1, 3, 1, 1, None, True, False, 1.0, 20, 1.00, 0.95, 1, 3000.0, 150000.0, 0),
    ("130506101", "贾宋镇", "township", None, 80.00, 2, 1, 2, 3, "郝桥镇", True, False, 1.0, 12, 1.00, 0.83, 2, 8000.0, 132000.0, 0),
    ("130506104", "河郭镇", "township", None, 88.00, None, 5, None, None, None, False, False, 0.4, 0, None, None, 1, 2000.0, 0.0, 0),
    ("130506102", "郝桥镇", "township", None, 80.00, 2, None, 2, 4, "贾宋镇、三思镇", True, False, 1.0, 11, 0.91, 0.73, 2, 9000.0, 0.0, 0),
    ("130506200", "东三召乡", "township", None, 35.40, 5, 4, 5, 5, None, False, True, 1.0, 4, 0.25, 0.00, 6, 240000.0, 0.0, 1),
    ("130506M02", "区教育局", "member_unit", "教育", 77.00, 1, 1, 1, 2, "区卫健局", True, False, 0.58, 3, 1.00, 1.00, 0, 0.0, 0.0, 0),
    ("130506M03", "区卫健局", "member_unit", "卫健", 66.00, 2, 2, 1, 2, "区教育局", False, True, 0.72, 2, 0.50, 0.50, 1, 12000.0, 0.0, 0),
    ("130506M08", "农业银行南和支行", "member_unit", "金融", 100.00, None, None, None, None, None, False, False, 0.12, 0, None, None, 0, 0.0, 0.0, 0),
]
TIED = {"130506101", "130506102"}

# unit_code, label, value, format, points (None: no own data), weight
INDICATORS = [
    ("130506M02", "每万名职工学生被骗人数", 0.0, "number", 48.28, 28),
    ("130506M02", "每万名职工学生反诈宣传覆盖人次", 150.0, "number", 15.52, 18),
    ("130506M02", "反诈培训和警示教育次数", 2.0, "count", 13.20, 12),
    ("130506M02", "本单位职工预警四方参与率", None, "rate", None, 10),
    ("130506M03", "本单位职工预警四方参与率", 0.5, "rate", 7.72, 10),
    ("130506M03", "本单位职工被骗人数", 1.0, "count", None, 28),
    ("130506M08", "反诈培训和警示教育次数", 2.0, "count", 100.0, 12),
    ("130506M08", "本行账户紧急止付冻结笔数", 0.0, "count", None, 18),
    ("130506100", "见面劝阻率", 1.0, "rate", 12.0, 12),
    ("130506104", "见面劝阻率", None, "rate", None, 12),
    ("130506104", "每万人发案数", 0.5, "number", 25.0, 10),
]

SCHEMA = """
create table dim_units (unit_code varchar, unit_name varchar, unit_kind varchar, district_code varchar);
create table assessment_unit_monthly (
    unit_code varchar, unit_name varchar, unit_kind varchar, unit_system varchar, district_code varchar,
    month date, total_score double, evidence_share double, evidence_threshold double, is_assessed boolean,
    scheme_version varchar);
create table ranking_unit_monthly (
    unit_code varchar, unit_name varchar, unit_kind varchar, district_code varchar, month date,
    total_score double, rank integer, units_in_kind integer, is_tied boolean, honour_places integer,
    rank_prev_month integer, rank_change integer, score_change double, is_commended boolean,
    is_criticised boolean, rank_p05 integer, rank_p95 integer, indistinguishable_units integer,
    indistinguishable_from varchar, scheme_version varchar);
create table score_unit_monthly (
    unit_code varchar, unit_kind varchar, district_code varchar, month date, indicator varchar,
    indicator_label varchar, raw_value double, value_format varchar, points double, weight double);
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
        ranked = {kind: sum(1 for r in RANKING if r[2] == kind and r[5] is not None) for kind in ("township", "member_unit")}
        for (code, name, kind, system, score, rank, prev, p05, p95, overlaps, good, bad, share,
             fund_leads, f2f, four, cases, loss, intercepted, post) in RANKING:
            con.execute("insert into assessment_unit_monthly values (?, ?, ?, ?, '130506', ?, ?, ?, ?, ?, '2023.1')",
                        [code, name, kind, system, MONTH, score, share, THRESHOLD, rank is not None])
            if rank is not None:
                con.execute(
                    "insert into ranking_unit_monthly values (?, ?, ?, '130506', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    " '2023.1')",
                    [code, name, kind, MONTH, score, rank, ranked[kind], code in TIED, ranked[kind] // 2, prev,
                     None if prev is None else prev - rank, None if prev is None else 1.5, good, bad, p05, p95,
                     0 if overlaps is None else overlaps.count("、") + 1, overlaps])
            con.execute("insert into kpi_unit_monthly values (?, ?, ?, ?, ?, 0.9, 0.8, ?, ?, ?, ?)",
                        [code, MONTH, fund_leads, f2f, four, cases, loss, intercepted, post])
        for n, (code, label, value, fmt, points, weight) in enumerate(INDICATORS):
            kind = "member_unit" if "M" in code else "township"
            con.execute("insert into score_unit_monthly values (?, ?, '130506', ?, ?, ?, ?, ?, ?, ?)",
                        [code, kind, MONTH, f"i{n}", label, value, fmt, points, weight])
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
