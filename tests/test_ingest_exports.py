"""One test per bullet of the spec's "How real exports misbehave", on small hand-made files.

Every expected value below is worked out by hand from the rows written in the test.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from tests.fixtures.ingest.files import (
    ALERT_HEADER_EN,
    ALERT_HEADER_ZH,
    CONTACT_HEADER_ZH,
    alert_row,
    file_counts,
    hmac_hex,
    land,
    landing_rows,
    valid_id,
    write_csv,
    write_xlsx,
)

ID_1990 = valid_id("13050619900307123")  # 130506199003071230: born 1990-03-07, male


# --- Encodings: UTF-8, UTF-8 with BOM, GBK/GB18030 -------------------------------------------------------

def test_utf8_bom_and_gbk_files_land_the_same_values(ingest_home: Path, tmp_path: Path) -> None:
    rows = [alert_row(alert_id="A-1"), alert_row(alert_id="A-2", township="东三召乡", village="", name="欧阳娜娜")]
    # file names carry no hint of the encoding: it must come from the bytes
    utf8 = write_csv(tmp_path / "x1_2023-11.csv", ALERT_HEADER_ZH, rows, "utf-8")
    bom = write_csv(tmp_path / "x2_2023-11.csv", ALERT_HEADER_ZH, rows, "utf-8-sig")
    gbk = write_csv(tmp_path / "x3_2023-11.csv", ALERT_HEADER_ZH, rows, "gbk")
    report = land(ingest_home, gbk, bom, utf8)
    # same records: the first file (by name) lands them, the other two are all duplicates
    assert file_counts(report) == {
        "x1_2023-11.csv": ("landed", 2, 2, 0, 0),
        "x2_2023-11.csv": ("landed", 2, 0, 0, 2),
        "x3_2023-11.csv": ("landed", 2, 0, 0, 2),
    }
    assert landing_rows(ingest_home, "SELECT file_name, encoding FROM ingest_log ORDER BY _file_id") == [
        ("x1_2023-11.csv", "utf-8"), ("x2_2023-11.csv", "utf-8-sig"), ("x3_2023-11.csv", "gb18030"),
    ]
    assert landing_rows(ingest_home, "SELECT alert_id, name_masked, township_code, village_raw, village_code "
                              "FROM alerts ORDER BY alert_id") == [
        ("A-1", "赵某", "130506101", "井庄村", "130506101201"),
        ("A-2", "欧阳某", "130506200", None, None),
    ]


def test_gbk_file_alone_reads_chinese_headers_and_values(ingest_home: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "预警线索_2023-11.csv", ALERT_HEADER_ZH, [alert_row(occupation="宝妈")], "gbk")
    report = land(ingest_home, path)
    assert report.files[0].encoding == "gb18030" and report.files[0].header_language == "zh"
    assert landing_rows(ingest_home, "SELECT occupation_raw, occupation, police_station FROM alerts") == [
        ("宝妈", "家庭主妇", "贾宋派出所"),
    ]


def test_bytes_that_are_neither_utf8_nor_gb18030_reject_the_file(ingest_home: Path, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [alert_row()])
    bad = tmp_path / "alerts_2023-12.csv"
    bad.write_bytes(",".join(ALERT_HEADER_ZH).encode("gbk") + b"\nA-9,\x80\xff\x80\n")
    report = land(ingest_home, bad, good)
    assert file_counts(report)["alerts_2023-12.csv"][0] == "rejected"
    assert "alerts_2023-12.csv" in report.files[1].message
    assert file_counts(report)["alerts_2023-11.csv"] == ("landed", 1, 1, 0, 0)
    assert report.exit_code == 1


# --- XLSX: first sheet, title rows, Excel serial dates, trailing empty rows, numbers as text -----------------

def test_xlsx_title_rows_serial_dates_trailing_rows_and_numbers_as_text(ingest_home: Path, tmp_path: Path) -> None:
    row1 = alert_row(alert_id="X-1", amount_at_risk="132,000", phone="13812341234", id_number=ID_1990)
    row2: list[object] = alert_row(alert_id="X-2", issued_at="", amount_at_risk="", phone="", age="")
    issued = ALERT_HEADER_EN.index("issued_at")
    row2[issued] = 45235.59930555556  # Excel serial number of 2023-11-05 14:23:00
    row2[ALERT_HEADER_EN.index("amount_at_risk")] = 132000.0  # a number cell
    row2[ALERT_HEADER_EN.index("phone")] = 13912345678.0  # a phone stored as a number
    path = write_xlsx(tmp_path / "预警线索_2023-11.xlsx", ALERT_HEADER_ZH, [row1, row2],
                      titles=["南和区预警线索导出 2023年11月", "导出时间：2023-12-01"], trailing_empty_rows=3)
    report = land(ingest_home, path)
    assert file_counts(report) == {"预警线索_2023-11.xlsx": ("landed", 2, 2, 0, 0)}
    assert report.files[0].format == "xlsx" and "header found on row 3" in report.files[0].message
    assert landing_rows(ingest_home, "SELECT alert_id, _row_number, issued_at, amount_at_risk, phone_key, phone_masked "
                              "FROM alerts ORDER BY alert_id") == [
        ("X-1", 1, datetime(2023, 11, 5, 14, 23, 11), 132000.0, hmac_hex("13812341234"), "138****1234"),
        ("X-2", 2, datetime(2023, 11, 5, 14, 23, 0), 132000.0, hmac_hex("13912345678"), "139****5678"),
    ]


def test_xlsx_reads_the_first_sheet_only(ingest_home: Path, tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "alerts_2023-11.xlsx"
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.append(ALERT_HEADER_ZH)
    first.append(alert_row(alert_id="S-1"))
    second = workbook.create_sheet("说明")
    second.append(["这是说明页"])
    workbook.save(path)
    land(ingest_home, path)
    assert landing_rows(ingest_home, "SELECT alert_id FROM alerts") == [("S-1",)]


# --- Datetimes -------------------------------------------------------------------------------------------------

def test_every_datetime_form_of_the_spec(ingest_home: Path, tmp_path: Path) -> None:
    forms = {
        "D-1": ("2023-11-05 14:23:11", datetime(2023, 11, 5, 14, 23, 11)),
        "D-2": ("2023/11/5 14:23", datetime(2023, 11, 5, 14, 23)),
        "D-3": ("2023年11月5日 14时23分", datetime(2023, 11, 5, 14, 23)),
        "D-4": ("2023.11.05", datetime(2023, 11, 5)),
        "D-5": ("2023-11-05", datetime(2023, 11, 5)),
    }
    rows = [alert_row(alert_id=k, issued_at=text) for k, (text, _) in forms.items()]
    land(ingest_home, write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, rows))
    got = dict(landing_rows(ingest_home, "SELECT alert_id, issued_at FROM alerts"))
    assert got == {k: expected for k, (_, expected) in forms.items()}


# --- Money -----------------------------------------------------------------------------------------------------

def test_every_money_form_of_the_spec(ingest_home: Path, tmp_path: Path) -> None:
    forms = ["132000", "132,000.00", "13.2万", "13.2万元", "¥132,000", "１３２０００"]
    rows = [alert_row(alert_id=f"M-{i}", amount_at_risk=text) for i, text in enumerate(forms)]
    report = land(ingest_home, write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, rows))
    assert report.files[0].rows_landed == 6
    assert landing_rows(ingest_home, "SELECT DISTINCT amount_at_risk FROM alerts") == [(132000.0,)]


# --- Yes/no ----------------------------------------------------------------------------------------------------

def contact_row(action_id: str, face: str, police: str) -> list[str]:
    return [action_id, "A-1", "2023-11-05 15:00", "首次劝阻", "上门见面", face, police, "", "", "", "", "", "", "",
            "劝阻成功", "", "贾宋派出所"]


def test_every_yes_no_form_of_the_spec(ingest_home: Path, tmp_path: Path) -> None:
    rows = [contact_row("C-1", "是", "否"), contact_row("C-2", "Y", "N"), contact_row("C-3", "1", "0"),
            contact_row("C-4", "√", ""), contact_row("C-5", "y", "n")]
    land(ingest_home, write_csv(tmp_path / "劝阻记录_2023-11.csv", CONTACT_HEADER_ZH, rows))
    assert landing_rows(ingest_home, "SELECT action_id, face_to_face, police_present, leader_present FROM contacts "
                              "ORDER BY action_id") == [
        ("C-1", True, False, None), ("C-2", True, False, None), ("C-3", True, False, None),
        ("C-4", True, None, None), ("C-5", True, False, None),
    ]


def test_an_unknown_yes_no_value_is_quarantined(ingest_home: Path, tmp_path: Path) -> None:
    report = land(ingest_home, write_csv(tmp_path / "劝阻记录_2023-11.csv", CONTACT_HEADER_ZH,
                                  [contact_row("C-1", "也许", "是")]))
    assert report.files[0].rows_quarantined == 1
    assert landing_rows(ingest_home, "SELECT reason_code, field FROM quarantine") == [("bad_enum", "face_to_face")]


# --- Whitespace, full-width characters, header cells with spaces and line breaks --------------------------------

def test_fullwidth_spaces_stray_whitespace_and_broken_header_cells(ingest_home: Path, tmp_path: Path) -> None:
    header = list(ALERT_HEADER_ZH)
    header[0] = "线索\n编号"
    header[1] = " 下发　时间 "
    header[13] = "村（社区）"
    row = alert_row(alert_id="  W-1\u3000", township="\u3000贾宋镇 ", village=" 井庄村\t",
                    id_number="１３０５０６１９９００３０７１２３０", phone="138 1234 1234", alert_type=" 资金预警")
    land(ingest_home, write_csv(tmp_path / "alerts_2023-11.csv", header, [row]))
    assert landing_rows(ingest_home, "SELECT alert_id, alert_type, township_code, village_code, id_key, phone_masked, "
                              "gender, age, _flags FROM alerts") == [
        ("W-1", "资金预警", "130506101", "130506101201", hmac_hex(ID_1990), "138****1234", "男", 33, []),
    ]


def test_english_headers_in_any_case_are_recognised(ingest_home: Path, tmp_path: Path) -> None:
    header = [h.upper().replace("_", " ") for h in ALERT_HEADER_EN]  # "ALERT ID", "ISSUED AT", ...
    report = land(ingest_home, write_csv(tmp_path / "alerts_2023-11.csv", header, [alert_row()]))
    assert (report.files[0].feed, report.files[0].header_language) == ("alerts", "en")
    assert landing_rows(ingest_home, "SELECT count(*) FROM alerts") == [(1,)]


# --- Overlapping exports and corrected re-exports --------------------------------------------------------------

def test_overlap_is_one_record_and_a_correction_becomes_the_current_version(ingest_home: Path, tmp_path: Path) -> None:
    nov = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH,
                    [alert_row(alert_id="A-1"), alert_row(alert_id="A-2", amount_at_risk="5000")])
    fix = write_csv(tmp_path / "alerts_2023-11_更正.csv", ALERT_HEADER_ZH,
                    [alert_row(alert_id="A-1"), alert_row(alert_id="A-2", amount_at_risk="5,500")])
    dec = write_csv(tmp_path / "alerts_2023-12.csv", ALERT_HEADER_ZH,
                    [alert_row(alert_id="A-2", amount_at_risk="0.55万"), alert_row(alert_id="A-3")])
    report = land(ingest_home, dec, fix, nov)  # given out of order: export order is by month, then revision
    assert [f.file_name for f in report.files] == ["alerts_2023-11.csv", "alerts_2023-11_更正.csv", "alerts_2023-12.csv"]
    assert file_counts(report) == {
        "alerts_2023-11.csv": ("landed", 2, 2, 0, 0),
        "alerts_2023-11_更正.csv": ("landed", 2, 1, 0, 1),
        "alerts_2023-12.csv": ("landed", 2, 1, 0, 1),  # A-2 at 5500 again is the same version
    }
    history = landing_rows(ingest_home, "SELECT alert_id, amount_at_risk, _file_id, _file_name, _row_number FROM alerts "
                                 "ORDER BY alert_id, _file_id")
    assert history == [
        ("A-1", 132000.0, 1, "alerts_2023-11.csv", 1),
        ("A-2", 5000.0, 1, "alerts_2023-11.csv", 2),
        ("A-2", 5500.0, 2, "alerts_2023-11_更正.csv", 2),
        ("A-3", 132000.0, 3, "alerts_2023-12.csv", 2),
    ]


def test_a_repeated_row_inside_one_file_is_a_duplicate(ingest_home: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [alert_row(), alert_row(), alert_row()])
    assert file_counts(land(ingest_home, path)) == {"alerts_2023-11.csv": ("landed", 3, 1, 0, 2)}


# --- Wrong values ------------------------------------------------------------------------------------------------

def test_wrong_values_are_quarantined_or_flagged_and_every_row_is_accounted_for(ingest_home: Path, tmp_path: Path) -> None:
    bad_checksum = ID_1990[:-1] + "5"
    rows = [
        alert_row(alert_id="OK-1"),
        alert_row(alert_id="F-ID", id_number=bad_checksum, gender="女", age="41"),
        alert_row(alert_id="F-PHONE", phone="1381234123"),
        alert_row(alert_id="Q-NEG", amount_at_risk="-500"),
        alert_row(alert_id="Q-FUTURE", issued_at="2099-01-01 08:00"),
        alert_row(alert_id="Q-TOWN", township="和阳真"),
        alert_row(alert_id="Q-DATE", issued_at="2023-13-45"),
        alert_row(alert_id="", name="钱多多"),
        alert_row(alert_id="Q-TYPE", alert_type="传真预警"),
    ]
    report = land(ingest_home, write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, rows))
    assert file_counts(report) == {"alerts_2023-11.csv": ("landed", 9, 3, 6, 0)}
    assert landing_rows(ingest_home, "SELECT _row_number, reason_code, field FROM quarantine ORDER BY _row_number") == [
        (4, "negative_amount", "amount_at_risk"),
        (5, "future_datetime", "issued_at"),
        (6, "unknown_township", "township"),
        (7, "bad_datetime", "issued_at"),
        (8, "missing_required", "alert_id"),
        (9, "bad_enum", "alert_type"),
    ]
    landed = {r[0]: r[1:] for r in landing_rows(
        ingest_home, "SELECT alert_id, _flags, person_key, id_key, phone_key, phone_masked, gender, age, id_area_code "
              "FROM alerts")}
    phone_key, id_key = hmac_hex("13812341234"), hmac_hex(ID_1990)
    assert landed["OK-1"] == ([], id_key, id_key, phone_key, "138****1234", "男", 33, "130506")
    # bad check digit: no value derived from the ID; gender and age come from their own columns
    assert landed["F-ID"] == (["id_bad_checksum"], phone_key, None, phone_key, "138****1234", "女", 41, None)
    # 10-digit phone: no phone key nor masked phone
    assert landed["F-PHONE"] == (["phone_bad_length"], id_key, id_key, None, None, "男", 33, "130506")
    # messages name the field and the value, never personal data
    messages = dict(landing_rows(ingest_home, "SELECT _row_number, message FROM quarantine"))
    assert "和阳真" in messages[6] and "乡镇" in messages[6]
    masked = json.loads(landing_rows(ingest_home, "SELECT raw_row_masked FROM quarantine WHERE _row_number = 8")[0][0])
    assert masked["name"] == "钱某" and masked["phone"] == "138****1234"
    assert masked["id_number"] == "130506" + "*" * 12


def test_a_lead_without_id_or_phone_lands_flagged(ingest_home: Path, tmp_path: Path) -> None:
    land(ingest_home, write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH,
                         [alert_row(id_number="", phone="", gender="男", age="52")]))
    assert landing_rows(ingest_home, "SELECT _flags, person_key, gender, age FROM alerts") == [
        (["no_contact_key"], None, "男", 52),
    ]


def test_a_header_without_rows_lands_nothing_and_reconciles(ingest_home: Path, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [], "utf-8-sig")
    xlsx_path = write_xlsx(tmp_path / "alerts_2023-12.xlsx", ALERT_HEADER_ZH, [], titles=["标题"])
    assert file_counts(land(ingest_home, csv_path, xlsx_path)) == {
        "alerts_2023-11.csv": ("landed", 0, 0, 0, 0), "alerts_2023-12.xlsx": ("landed", 0, 0, 0, 0),
    }
