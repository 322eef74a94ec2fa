"""The other four feeds, place resolution (names, codes, synthetic clone districts), mappings, feed detection."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from fanzha.core.paths import data_home
from ingestion import ingest_paths
from ingestion.headers import match_row
from ingestion.report import IngestReport
from tests.fixtures.ingest.files import (
    ACTIVITY_HEADER_ZH,
    ALERT_HEADER_ZH,
    CASE_HEADER_ZH,
    CONTACT_HEADER_ZH,
    INTERCEPTION_HEADER_ZH,
    alert_row,
    hmac_hex,
    landing_rows,
    valid_id,
    write_csv,
    write_xlsx,
)

ID_1985_F = valid_id("13050619850612002")  # born 1985-06-12, 17th digit 2 -> female


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FANZHA_PII_KEY", "fanzha-test-key-do-not-use-in-production-0123456789")
    return tmp_path / "home"


def land(home: Path, *paths: Path) -> IngestReport:
    report = ingest_paths(data_home(home), list(paths), archive_inbox=False, quiet=True)
    assert report.reconciles
    return report


def test_cases_land_with_person_columns_and_age_at_the_event(home: Path, tmp_path: Path) -> None:
    rows = [
        # occurred 2023-06-11: one day before the 38th birthday -> 37
        ["AJ-1", "2023-06-20 09:00", "2023-06-11", "李小红", ID_1985_F, "", "", "", "教师", "和阳镇中学", "和阳镇",
         "", "投资理财", "5.5万", "1,000", "和阳派出所"],
        ["AJ-2", "2023-06-20", "2023-06-19", "", "", "13912345678", "男", "24", "外卖骑手", "", "史召乡", "",
         "", "800", "", ""],
    ]
    report = land(home, write_csv(tmp_path / "案件_2023-06.csv", CASE_HEADER_ZH, rows))
    assert report.files[0].feed == "cases"
    assert landing_rows(home, "SELECT case_id, reported_at, occurred_at, person_key, name_masked, gender, age, "
                              "id_area_code, occupation_raw, occupation, township_code, fraud_type, loss_amount, "
                              "recovered_amount, _flags FROM cases ORDER BY case_id") == [
        ("AJ-1", datetime(2023, 6, 20, 9), datetime(2023, 6, 11), hmac_hex(ID_1985_F), "李某", "女", 37, "130506",
         "教师", "教师", "130506100", "虚假网络投资理财", 55000.0, 1000.0, []),
        ("AJ-2", datetime(2023, 6, 20), datetime(2023, 6, 19), hmac_hex("13912345678"), None, "男", 24, None,
         "外卖骑手", "其他", "130506203", None, 800.0, None, ["unmapped_occupation"]),
    ]


def test_interceptions_hash_the_account_and_keep_the_amount(home: Path, tmp_path: Path) -> None:
    rows = [["ZF-1", "YJ-1", "", "2023-11-06 10:00", "紧急止付", "¥132,000", "中国银行", "6222 0200 0000 1234", "贾宋派出所"],
            ["ZF-2", "", "AJ-1", "2023-11-07", "退款", "100", "", "", ""]]
    land(home, write_csv(tmp_path / "止付记录_2023-11.csv", INTERCEPTION_HEADER_ZH, rows))
    assert landing_rows(home, "SELECT interception_id, alert_id, case_id, stopped_at, method, amount, account_key "
                              "FROM interceptions") == [
        ("ZF-1", "YJ-1", None, datetime(2023, 11, 6, 10), "紧急止付", 132000.0, hmac_hex("6222020000001234")),
    ]
    assert landing_rows(home, "SELECT _row_number, reason_code, field FROM quarantine") == [(2, "bad_enum", "method")]


def test_activities_resolve_townships_and_member_units(home: Path, tmp_path: Path) -> None:
    rows = [["HD-1", "2023-11-02", "贾宋镇", "反诈宣传", "120人"],
            ["HD-2", "2023/11/3", "区教育局", "反诈培训", "45"],
            ["HD-3", "2023年11月4日", "南和区卫健局", "警示教育", ""],
            ["HD-4", "2023-11-05", "130506M06", "督导检查", "3"],
            ["HD-5", "2023-11-06", "火星办事处", "反诈宣传", "3"],
            ["HD-6", "2023-11-07", "和阳镇", "反诈宣传", "很多"]]
    report = land(home, write_xlsx(tmp_path / "工作台账_2023-11.xlsx", ACTIVITY_HEADER_ZH, rows))
    assert (report.files[0].rows_landed, report.files[0].rows_quarantined) == (4, 2)
    assert landing_rows(home, "SELECT activity_id, activity_date, unit_raw, unit_code, activity_kind, participants "
                              "FROM activities ORDER BY activity_id") == [
        ("HD-1", date(2023, 11, 2), "贾宋镇", "130506101", "反诈宣传", 120),
        ("HD-2", date(2023, 11, 3), "区教育局", "130506M02", "反诈培训", 45),
        ("HD-3", date(2023, 11, 4), "南和区卫健局", "130506M03", "警示教育", None),
        ("HD-4", date(2023, 11, 5), "130506M06", "130506M06", "督导检查", 3),
    ]
    assert landing_rows(home, "SELECT _row_number, reason_code, field FROM quarantine ORDER BY 1") == [
        (5, "unknown_township", "unit"), (6, "bad_integer", "participants"),
    ]


def test_contacts_keep_every_checklist_flag(home: Path, tmp_path: Path) -> None:
    row = ["QZ-1", "YJ-1", "2023-11-05 15:00", "提级劝阻", "警示室", "", "是", "是", "是", "是", "是", "是", "否", "是",
           "劝阻成功", "否", "贾宋派出所"]
    land(home, write_csv(tmp_path / "劝阻记录_2023-11.csv", CONTACT_HEADER_ZH, [row], "gbk"))
    assert landing_rows(home, "SELECT * EXCLUDE (_file_id, _file_name, _row_number, _loaded_at, _record_hash, _flags) "
                              "FROM contacts") == [
        ("QZ-1", "YJ-1", datetime(2023, 11, 5, 15), "提级劝阻", "警示室", None, True, True, True, True, True, True,
         False, True, False, "劝阻成功", "贾宋派出所"),
    ]


# --- places --------------------------------------------------------------------------------------------------------

def test_townships_and_villages_by_name_short_name_or_code(home: Path, tmp_path: Path) -> None:
    rows = [alert_row(alert_id="P-1", township="130506101", village="130506101201"),
            alert_row(alert_id="P-2", township="130506101000", village="井庄"),
            alert_row(alert_id="P-3", township="贾宋", village="井庄村"),
            alert_row(alert_id="P-4", township="贾宋镇", village="130506100001"),  # a village of another township
            alert_row(alert_id="P-5", township="贾宋镇", village="不存在村"),
            alert_row(alert_id="P-6", township="130506999")]
    report = land(home, write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, rows))
    assert report.files[0].rows_quarantined == 1
    assert landing_rows(home, "SELECT alert_id, district_code, township_code, village_code, village_raw, _flags "
                              "FROM alerts ORDER BY alert_id") == [
        ("P-1", "130506", "130506101", "130506101201", "130506101201", []),
        ("P-2", "130506", "130506101", "130506101201", "井庄", []),
        ("P-3", "130506", "130506101", "130506101201", "井庄村", []),
        ("P-4", "130506", "130506101", None, "130506100001", ["unknown_village"]),
        ("P-5", "130506", "130506101", None, "不存在村", ["unknown_village"]),
    ]
    assert landing_rows(home, "SELECT reason_code, field FROM quarantine") == [("unknown_township", "township")]


def test_clone_districts_resolve_by_code_and_by_the_file_prefix(home: Path, tmp_path: Path) -> None:
    by_code = write_csv(tmp_path / "990001_alerts_2023-11.csv", ALERT_HEADER_ZH,
                        [alert_row(alert_id="C-1", township="990001101", village="990001101201"),
                         alert_row(alert_id="C-2", township="贾宋镇", village="井庄村"),
                         alert_row(alert_id="C-3", township="998888101")])  # a district not in districts.csv
    land(home, by_code)
    assert landing_rows(home, "SELECT alert_id, district_code, township_code, village_code FROM alerts "
                              "ORDER BY alert_id") == [
        ("C-1", "990001", "990001101", "990001101201"),
        ("C-2", "990001", "990001101", "990001101201"),
    ]
    assert landing_rows(home, "SELECT _row_number, reason_code FROM quarantine") == [(3, "unknown_township")]


def test_an_analyst_extends_the_mappings_through_the_seeds(home: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from fanzha.core.paths import SEEDS_DIR
    from ingestion import reference

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    with (seeds / "map_occupation.csv").open("a", encoding="utf-8") as fh:
        fh.write("外卖骑手,务工人员\n")
    original = reference.install_reference  # ingest_paths calls it through the module
    monkeypatch.setattr(reference, "install_reference", lambda conn: original(conn, seeds))
    land(home, write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [alert_row(occupation="外卖骑手")]))
    assert landing_rows(home, "SELECT occupation_raw, occupation, _flags FROM alerts") == [("外卖骑手", "务工人员", [])]


# --- feed detection ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "feed"), [
    (ALERT_HEADER_ZH, "alerts"), (CONTACT_HEADER_ZH, "contacts"), (INTERCEPTION_HEADER_ZH, "interceptions"),
    (CASE_HEADER_ZH, "cases"), (ACTIVITY_HEADER_ZH, "activities"),
    (["记录编号", "日期", "单位", "活动类型"], "activities"),  # optional columns may be missing
    (["ACTIVITY_ID", "Activity Date", "unit", "activity-kind", "备注"], "activities"),
])
def test_each_feed_is_recognised_by_its_header(header: list[str], feed: str) -> None:
    found = match_row(header)
    assert found is not None and found[0].name == feed


@pytest.mark.parametrize("header", [
    ["记录编号", "日期", "单位"],  # a required column missing
    ["线索编号", "线索编号", "下发时间", "预警类型", "乡镇"],  # a column twice
    [],
])
def test_incomplete_or_ambiguous_headers_match_no_feed(header: list[str]) -> None:
    assert match_row(header) is None
