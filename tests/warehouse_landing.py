"""A hand-made landing database for warehouse tests, created by SQL exactly per docs/contracts.md §3.

The rows are a small story whose KPI values are computed by hand in test_warehouse_build.py.
"""

from __future__ import annotations

from pathlib import Path

LINEAGE = "_file_id BIGINT, _file_name VARCHAR, _row_number INTEGER, _loaded_at TIMESTAMP, _record_hash VARCHAR, _flags VARCHAR[]"
PERSON = (
    "person_key VARCHAR, id_key VARCHAR, phone_key VARCHAR, phone_masked VARCHAR, name_masked VARCHAR, "
    "gender VARCHAR, age INTEGER, id_area_code VARCHAR"
)

DDL = f"""
CREATE TABLE alerts (alert_id VARCHAR, issued_at TIMESTAMP, risk_level VARCHAR, alert_type VARCHAR, source VARCHAR,
    {PERSON}, occupation_raw VARCHAR, occupation VARCHAR, employer VARCHAR, district_code VARCHAR,
    township_code VARCHAR, village_code VARCHAR, village_raw VARCHAR, fraud_type_raw VARCHAR, fraud_type VARCHAR,
    amount_at_risk DOUBLE, counterparty_account_key VARCHAR, police_station VARCHAR, {LINEAGE});
CREATE TABLE contacts (action_id VARCHAR, alert_id VARCHAR, action_at TIMESTAMP, action_kind VARCHAR, method VARCHAR,
    face_to_face BOOLEAN, police_present BOOLEAN, leader_present BOOLEAN, grid_worker_present BOOLEAN,
    relative_present BOOLEAN, checklist_done BOOLEAN, facts_clear BOOLEAN, situation_clear BOOLEAN,
    policy_explained BOOLEAN, cut_off BOOLEAN, outcome VARCHAR, handling_unit VARCHAR, {LINEAGE});
CREATE TABLE interceptions (interception_id VARCHAR, alert_id VARCHAR, case_id VARCHAR, stopped_at TIMESTAMP,
    method VARCHAR, amount DOUBLE, bank VARCHAR, account_key VARCHAR, police_station VARCHAR, {LINEAGE});
CREATE TABLE cases (case_id VARCHAR, reported_at TIMESTAMP, occurred_at TIMESTAMP, {PERSON}, occupation_raw VARCHAR,
    occupation VARCHAR, employer VARCHAR, district_code VARCHAR, township_code VARCHAR, village_code VARCHAR,
    village_raw VARCHAR, fraud_type_raw VARCHAR, fraud_type VARCHAR, loss_amount DOUBLE, recovered_amount DOUBLE,
    police_station VARCHAR, {LINEAGE});
CREATE TABLE activities (activity_id VARCHAR, activity_date DATE, unit_raw VARCHAR, unit_code VARCHAR,
    activity_kind VARCHAR, participants INTEGER, {LINEAGE});
CREATE TABLE quarantine (_file_id BIGINT, _row_number INTEGER, feed VARCHAR, reason_code VARCHAR, field VARCHAR,
    message VARCHAR, raw_row_masked JSON);
CREATE TABLE ingest_log (_file_id BIGINT, file_name VARCHAR, file_path VARCHAR, sha256 VARCHAR, feed VARCHAR,
    format VARCHAR, encoding VARCHAR, header_language VARCHAR, rows_read INTEGER, rows_landed INTEGER,
    rows_quarantined INTEGER, rows_duplicate INTEGER, status VARCHAR, message VARCHAR, started_at TIMESTAMP,
    finished_at TIMESTAMP);
"""

JIASONG = "130506101"  # 贾宋镇
JINGZHUANG = "130506101201"  # 井庄村
HEYANG = "130506100"  # 和阳镇


def _alert(alert_id, issued_at, alert_type, person, township, village, amount, employer, file_id, row):
    id_key, phone_key = person
    person_key = id_key or phone_key
    return (
        f"('{alert_id}', TIMESTAMP '{issued_at}', '高', '{alert_type}', '国家反诈大数据平台', "
        f"{_q(person_key)}, {_q(id_key)}, {_q(phone_key)}, '138****0000', '赵某', '男', 35, '130506', "
        f"'企业职工', '企业职工', {_q(employer)}, '130506', '{township}', {_q(village)}, NULL, '刷单', '刷单返利', "
        f"{'NULL' if amount is None else amount}, NULL, '贾宋派出所', "
        f"{file_id}, 'alerts_{file_id}.csv', {row}, TIMESTAMP '2024-01-01 00:00:00', 'h{alert_id}{file_id}', []::VARCHAR[])"
    )


def _contact(action_id, alert_id, at, kind, method, f2f, parties, clear, checklist, outcome, file_id=20, row=1):
    police, leader, grid, relative = parties
    facts, situation, policy = clear
    return (
        f"('{action_id}', '{alert_id}', TIMESTAMP '{at}', '{kind}', '{method}', {_b(f2f)}, {_b(police)}, "
        f"{_b(leader)}, {_b(grid)}, {_b(relative)}, {_b(checklist)}, {_b(facts)}, {_b(situation)}, {_b(policy)}, "
        f"false, '{outcome}', '贾宋派出所', {file_id}, 'contacts.csv', {row}, TIMESTAMP '2024-01-01 00:00:00', "
        f"'h{action_id}', []::VARCHAR[])"
    )


def _case(case_id, occurred_at, person, township, village, loss, employer, age=35, file_id=30, row=1):
    id_key, phone_key = person
    person_key = id_key or phone_key
    return (
        f"('{case_id}', TIMESTAMP '{occurred_at}', TIMESTAMP '{occurred_at}', {_q(person_key)}, {_q(id_key)}, "
        f"{_q(phone_key)}, '138****0000', '钱某', '女', {age}, '130506', '教师', '教师', {_q(employer)}, '130506', "
        f"'{township}', {_q(village)}, NULL, '刷单', '刷单返利', {loss}, 0, '贾宋派出所', "
        f"{file_id}, 'cases.csv', {row}, TIMESTAMP '2024-01-01 00:00:00', 'h{case_id}', []::VARCHAR[])"
    )


def _q(value: str | None) -> str:
    return "NULL" if value is None else f"'{value}'"


def _b(value: bool | None) -> str:
    return "NULL" if value is None else ("true" if value else "false")


P_A1 = ("id-a1", "ph-a1")
P_A2 = ("id-a2", "ph-a2")
P_A3 = ("id-a3", "ph-a3")  # the case victim K2 is known only by this phone
P_A4 = ("id-a4", None)
P_K3 = ("id-k3", "ph-k3")

NONE4 = (False, False, False, False)


def alert_rows() -> list[str]:
    return [
        # A1's first export placed it in 和阳镇; the corrected re-export (later file) moves it to 贾宋镇 井庄村.
        _alert("A1", "2023-11-05 10:00:00", "资金预警", P_A1, HEYANG, None, 200000, None, 1, 1),
        _alert("A1", "2023-11-05 10:00:00", "资金预警", P_A1, JIASONG, JINGZHUANG, 200000, None, 2, 1),
        _alert("A2", "2023-11-10 09:00:00", "资金预警", P_A2, JIASONG, JINGZHUANG, 50000, None, 1, 2),
        _alert("A3", "2023-11-20 12:00:00", "资金预警", P_A3, JIASONG, JINGZHUANG, 10000, "南和区人民医院", 1, 3),
        _alert("A4", "2023-11-21 12:00:00", "电话预警", P_A4, JIASONG, None, None, None, 1, 4),
    ]


def contact_rows() -> list[str]:
    return [
        # A1: phone call after 30 min (police + leader), then a home visit by grid worker + relative: 4 parties, 三清.
        _contact("C1", "A1", "2023-11-05 10:30:00", "首次劝阻", "电话", None, (True, True, False, False),
                 (False, False, False), False, "无法联系", row=1),
        _contact("C2", "A1", "2023-11-06 09:00:00", "回访", "上门见面", None, (False, False, True, True),
                 (True, True, True), True, "劝阻成功", row=2),
        # A2: warning room 10 min before the lead's export (0 minutes); 三清 split over two contacts (not complete).
        _contact("C3", "A2", "2023-11-10 08:50:00", "首次劝阻", "警示室", None, (True, True, True, False),
                 (True, True, False), False, "劝阻成功", row=3),
        _contact("C4", "A2", "2023-11-12 09:00:00", "提级劝阻", "电话", False, (True, False, False, False),
                 (False, False, True), False, "拒不配合", row=4),
        # A3: one phone call after 120 minutes, marked not face to face.
        _contact("C5", "A3", "2023-11-20 14:00:00", "首次劝阻", "电话", False, NONE4,
                 (False, False, False), False, "劝阻成功", row=5),
    ]


def interception_rows() -> list[str]:
    base = "'工商银行', NULL, '贾宋派出所', 40, 'interceptions.csv', {row}, TIMESTAMP '2024-01-01', 'h{row}', []::VARCHAR[]"
    return [
        f"('I1', 'A1', NULL, TIMESTAMP '2023-11-05 11:00:00', '紧急止付', 132000, {base.format(row=1)})",
        f"('I2', 'A3', NULL, TIMESTAMP '2023-12-01 09:00:00', '冻结', 5000, {base.format(row=2)})",
    ]


def case_rows() -> list[str]:
    return [
        # K1: A2's person (same ID) 5 days after the warning: post-warning; 9,999.99 元 is below 1万.
        _case("K1", "2023-11-15 10:00:00", P_A2, JIASONG, JINGZHUANG, 9999.99, None, row=1),
        # K2: known only by A3's phone (no ID): post-warning through the phone; 10,000 元 is 1万–5万.
        _case("K2", "2023-11-25 10:00:00", (None, "ph-a3"), JIASONG, JINGZHUANG, 10000, None, row=2),
        # K3: a year earlier, 50,000 元 (≥5万); K4: the same person again: a repeat victim.
        _case("K3", "2022-11-01 10:00:00", P_K3, JIASONG, None, 50000, None, age=19, row=3),
        _case("K4", "2023-11-28 10:00:00", P_K3, JIASONG, None, 1000, "和阳镇中学", row=4),
    ]


def activity_rows() -> list[str]:
    return [
        f"('T1', DATE '2023-11-03', '贾宋镇', '{JIASONG}', '反诈培训', 40, 50, 'activities.csv', 1, TIMESTAMP '2024-01-01', 'hT1', []::VARCHAR[])",
        "('T2', DATE '2023-11-04', '区教育局', '130506M02', '反诈宣传', 200, 50, 'activities.csv', 2, TIMESTAMP '2024-01-01', 'hT2', []::VARCHAR[])",
    ]


def create_landing(path: Path) -> Path:
    """Write the hand-made landing database to `path`."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        for table, rows in (
            ("alerts", alert_rows()),
            ("contacts", contact_rows()),
            ("interceptions", interception_rows()),
            ("cases", case_rows()),
            ("activities", activity_rows()),
        ):
            con.execute(f"INSERT INTO {table} VALUES " + ", ".join(rows))
        con.execute(
            "INSERT INTO quarantine VALUES (1, 9, 'alerts', 'negative_amount', 'amount_at_risk', '金额为负', '{}'),"
            " (30, 7, 'cases', 'unknown_township', 'township', '乡镇不存在', '{}')"
        )
        con.execute(
            "INSERT INTO ingest_log VALUES"
            " (1, 'alerts_1.csv', '/x/alerts_1.csv', 's1', 'alerts', 'csv', 'utf-8', 'zh', 5, 4, 1, 0, 'landed', NULL,"
            "  TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:01'),"
            " (2, 'alerts_2.csv', '/x/alerts_2.csv', 's2', 'alerts', 'csv', 'utf-8', 'zh', 1, 1, 0, 0, 'landed', NULL,"
            "  TIMESTAMP '2024-01-02 00:00:00', TIMESTAMP '2024-01-02 00:00:01'),"
            " (30, 'cases.csv', '/x/cases.csv', 's3', 'cases', 'csv', 'gbk', 'zh', 5, 4, 1, 0, 'landed', NULL,"
            "  TIMESTAMP '2024-01-03 00:00:00', TIMESTAMP '2024-01-03 00:00:01')"
        )
    finally:
        con.close()
    return path
