"""At the door: personal data in any text column, ragged rows, legacy .xls and web exports, whitespace inside cells,
and every file named. Hand-made files; every expected value is worked out by hand from the rows written here.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ingestion.sensitive import scan
from tests.fixtures.cli import run_fanzha
from tests.fixtures.ingest.files import (
    ACTIVITY_HEADER_ZH,
    ALERT_HEADER_ZH,
    INTERCEPTION_HEADER_ZH,
    alert_row,
    csv_bytes,
    file_counts,
    hmac_hex,
    land,
    landing_rows,
    valid_id,
    write_csv,
    write_html,
    write_xls,
)

ID_1990 = valid_id("13050619900307123")  # 130506199003071230
OTHER_ID = valid_id("13050619851111002")
CARD = "6222020000001234567"


def csv_data_rows(path: Path) -> int:
    """Rows in a CSV file after its header, counted by Python's csv module (blank lines are not rows)."""
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"))))
    return sum(1 for r in rows[1:] if r)


# --- 1. personal data in every text column ------------------------------------------------------------------------

def test_ids_phones_and_cards_in_text_columns_are_masked_readably_and_flagged(ingest_home: Path, tmp_path: Path) -> None:
    alerts = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [
        alert_row(alert_id="P-1", village=f"井庄村{ID_1990}", employer="电话 138 1234 5678",
                  police_station=f"贾宋派出所 卡号{CARD}", fraud_type="刷单+86 13912345678"),
        alert_row(alert_id="P-2"),  # clean: no flag
    ])
    stops = write_csv(tmp_path / "止付记录_2023-11.csv", INTERCEPTION_HEADER_ZH, [
        ["ZF-1", "P-1", "", "2023-11-06 09:00", "紧急止付", "132000", f"农行 {OTHER_ID}", CARD, "贾宋派出所"],
    ])
    assert file_counts(land(ingest_home, alerts, stops)) == {
        "alerts_2023-11.csv": ("landed", 2, 2, 0, 0), "止付记录_2023-11.csv": ("landed", 1, 1, 0, 0),
    }
    assert landing_rows(ingest_home, "SELECT alert_id, village_raw, village_code, employer, police_station, fraud_type_raw, "
                              "fraud_type, _flags FROM alerts ORDER BY alert_id") == [
        ("P-1", "井庄村[身份证号已脱敏]", "130506101201", "电话 [手机号已脱敏]", "贾宋派出所卡号[银行卡号已脱敏]",
         "刷单[手机号已脱敏]", "刷单返利",
         ["pii_in_text:employer:phone", "pii_in_text:village_raw:id", "pii_in_text:fraud_type_raw:phone",
          "pii_in_text:police_station:card"]),
        ("P-2", "井庄村", "130506101201", "南和区人民医院", "贾宋派出所", "刷单", "刷单返利", []),
    ]
    # the account column is personal: a keyed hash, as before; the bank column held an ID
    assert landing_rows(ingest_home, "SELECT bank, account_key, _flags FROM interceptions") == [
        ("农行 [身份证号已脱敏]", hmac_hex(CARD), ["pii_in_text:bank:id"]),
    ]


def test_quarantine_messages_and_masked_rows_hold_no_raw_number(ingest_home: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [
        alert_row(alert_id="Q-1", township="贾宋真13812341234", employer=f"卡{CARD}"),  # unknown township
        alert_row(alert_id=ID_1990),  # a resident ID as the record number
    ])
    assert file_counts(land(ingest_home, path)) == {"alerts_2023-11.csv": ("landed", 2, 0, 2, 0)}
    rows = landing_rows(ingest_home, "SELECT _row_number, reason_code, field, message, raw_row_masked FROM quarantine "
                              "ORDER BY _row_number")
    assert [r[:3] for r in rows] == [(1, "unknown_township", "township"), (2, "pii_in_key", "alert_id")]
    assert rows[0][3] == '乡镇(township) 未知的乡镇 "贾宋真[手机号已脱敏]"'
    assert rows[1][3] == '线索编号(alert_id) 含身份证号/手机号/银行卡号, 不能作为记录编号 "[身份证号已脱敏]"'
    first, second = json.loads(rows[0][4]), json.loads(rows[1][4])
    assert (first["township"], first["employer"], second["alert_id"]) == (
        "贾宋真[手机号已脱敏]", "卡[银行卡号已脱敏]", "[身份证号已脱敏]")
    for row in rows:  # the scanner finds nothing left in either row
        assert scan(row[3])[1] == [] and scan(row[4])[1] == []


def test_file_names_ledger_and_console_never_show_a_raw_number(tmp_path: Path) -> None:
    ingest_home = tmp_path / "ingest_home"
    named = write_csv(tmp_path / "张三13812341234_预警线索_2023-11.csv", ALERT_HEADER_ZH, [alert_row()])
    note = tmp_path / f"{ID_1990}.txt"
    note.write_text("不是导出文件", encoding="utf-8")
    headerless = write_csv(tmp_path / "预警线索_2023-12.csv", ["13912345678", "王五"], [["x", "y"]])
    result = run_fanzha(ingest_home, "ingest", str(named), str(note), str(headerless), check=False)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert scan(output)[1] == []
    assert "张三[手机号已脱敏]_预警线索_2023-11.csv" in result.stdout
    assert "rejected [身份证号已脱敏].txt: not a supported export (CSV, XLSX, XLS)" in result.stderr
    ledger = landing_rows(ingest_home, "SELECT file_name, file_path, status, message FROM ingest_log ORDER BY _file_id")
    assert [(r[0], r[2]) for r in ledger] == [
        ("[身份证号已脱敏].txt", "rejected"), ("张三[手机号已脱敏]_预警线索_2023-11.csv", "landed"),
        ("预警线索_2023-12.csv", "rejected"),
    ]
    assert all(scan(" ".join(str(v) for v in r))[1] == [] for r in ledger)
    assert landing_rows(ingest_home, "SELECT DISTINCT _file_name FROM alerts") == [("张三[手机号已脱敏]_预警线索_2023-11.csv",)]


# --- 2. ragged rows stay row-level ---------------------------------------------------------------------------------

def test_ragged_rows_are_quarantined_with_their_cell_counts_and_the_other_rows_land(ingest_home: Path, tmp_path: Path) -> None:
    text = csv_bytes(ALERT_HEADER_ZH, [alert_row(alert_id="A-1"), alert_row(alert_id="A-3"),
                                       alert_row(alert_id="A-5")]).decode("utf-8").splitlines()
    wider = ",".join(alert_row(alert_id="A-2", employer="南和区人民医院")).replace("南和区人民医院", "南和区人民医院,门诊部")
    shorter = "A-4,2023-11-05 14:23:11,高"
    path = tmp_path / "alerts_2023-11.csv"
    path.write_text("\n".join([text[0], text[1], wider, text[2], shorter, text[3]]) + "\n", encoding="utf-8")
    report = land(ingest_home, path)
    assert csv_data_rows(path) == 5
    assert file_counts(report) == {"alerts_2023-11.csv": ("landed", 5, 3, 2, 0)}  # 3 + 2 + 0 = 5 rows in the file
    assert landing_rows(ingest_home, "SELECT alert_id, _row_number FROM alerts ORDER BY 2") == [
        ("A-1", 1), ("A-3", 3), ("A-5", 5)]
    rows = landing_rows(ingest_home, "SELECT _file_name, _row_number, reason_code, field, message, raw_row_masked "
                              "FROM quarantine ORDER BY _row_number")
    assert [r[:4] for r in rows] == [("alerts_2023-11.csv", 2, "ragged_row", "-"),
                                     ("alerts_2023-11.csv", 4, "ragged_row", "-")]
    assert rows[0][4] == "第 2 行有 19 个单元格, 表头有 18 个 (ragged row: 19 cells, the header has 18)"
    assert rows[1][4] == "第 4 行有 3 个单元格, 表头有 18 个 (ragged row: 3 cells, the header has 18)"
    # the cells after the extra comma shifted: the account lands under 责任派出所 in the masked row, masked
    shifted = json.loads(rows[0][5])
    assert (shifted["township"], shifted["police_station"]) == ("门诊部", "[银行卡号已脱敏]")
    assert scan(rows[0][5])[1] == []


def test_a_quoted_cell_never_closed_rejects_the_file_without_quoting_it(ingest_home: Path, tmp_path: Path) -> None:
    good = ",".join(alert_row(alert_id="A-1"))
    multiline = ",".join(alert_row(alert_id="A-2", employer='"南和区\n人民医院"'))  # forces the one-thread read
    broken = ",".join(alert_row(alert_id="A-3", employer=f'"电话13812341234, {CARD}'))
    path = tmp_path / "alerts_2023-11.csv"
    path.write_text("\n".join([",".join(ALERT_HEADER_ZH), good, multiline, broken, good.replace("A-1", "A-4")])
                    + "\n", encoding="utf-8")
    report = land(ingest_home, path)
    assert file_counts(report) == {"alerts_2023-11.csv": ("rejected", 0, 0, 0, 0)}
    assert report.files[0].message.startswith("alerts_2023-11.csv: ")
    assert "a quoted cell is never closed" in report.files[0].message
    assert "电话" not in report.files[0].message and scan(report.files[0].message)[1] == []
    assert landing_rows(ingest_home, "SELECT count(*) FROM alerts") == [(0,)]


def test_an_unclosed_quote_after_quoted_line_breaks_is_caught_too(ingest_home: Path, tmp_path: Path) -> None:
    """DuckDB reads a file with quoted line breaks on one thread, and that reader passes over an unclosed quote
    with the rows after it; an odd count of quotes rejects the file first."""
    path = tmp_path / "工作台账_2023-11.csv"
    path.write_text("记录编号,日期,单位,活动类型,参与人数\nHD-0,2023-11-02,贾宋镇,反诈宣传,12\n"
                    '"HD\n1",2023-11-02,贾宋镇,反诈宣传,12\nHD-2,2023-11-03,贾宋镇,"反诈宣传,13\n'
                    "HD-3,2023-11-03,贾宋镇,反诈宣传,13\n", encoding="utf-8")
    report = land(ingest_home, path)
    assert file_counts(report) == {"工作台账_2023-11.csv": ("rejected", 0, 0, 0, 0)}
    assert report.files[0].message == ('工作台账_2023-11.csv: a quoted cell is never closed '
                                       '(an odd number of " characters)')


def test_a_row_of_far_more_cells_than_the_header_rejects_the_file(ingest_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "alerts_2023-11.csv"
    row = ",".join(alert_row(alert_id="A-1"))
    path.write_text("\n".join([",".join(ALERT_HEADER_ZH), row, row.replace("A-1", "A-2") + ",x" * 17]) + "\n",
                    encoding="utf-8")
    report = land(ingest_home, path)
    assert report.files[0].status == "rejected"
    assert report.files[0].message == ("alerts_2023-11.csv: CSV line 3: a row of more than 34 cells where the "
                                       "header has 18; the file cannot be read as one table")


# --- 3. legacy spreadsheets and web exports -------------------------------------------------------------------------

LEGACY_ROWS = [
    alert_row(alert_id="L-1"),
    alert_row(alert_id="L-2", township="东三召乡", village="", name="欧阳娜娜", amount_at_risk="5,000.00"),
    alert_row(alert_id="L-3", amount_at_risk="-500"),  # quarantined wherever it comes from
]
SAME = ("SELECT alert_id, _row_number, issued_at, amount_at_risk, person_key, phone_masked, name_masked, "
        "township_code, village_code, _record_hash, _flags FROM alerts ORDER BY alert_id")


def test_xls_and_html_exports_land_the_same_records_as_the_same_rows_in_csv(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FANZHA_PII_KEY", "fanzha-test-key-do-not-use-in-production-0123456789")
    titles = ["南和区预警线索导出 2023年11月", "导出时间：2023-12-01"]
    numbers: list[list[object]] = [list(r) for r in LEGACY_ROWS]
    numbers[0][ALERT_HEADER_ZH.index("预警金额")] = 132000.0  # a number cell, as Excel stores it
    numbers[0][ALERT_HEADER_ZH.index("手机号")] = 13812341234.0
    files = {
        "csv": write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, LEGACY_ROWS),
        "xls": write_xls(tmp_path / "预警线索_2023-11.xls", ALERT_HEADER_ZH, numbers, titles),
        "html": write_html(tmp_path / "导出_2023-11.xls", ALERT_HEADER_ZH, LEGACY_ROWS, titles),  # HTML named .xls
        "gbk html": write_html(tmp_path / "导出_2023-11.htm", ALERT_HEADER_ZH, LEGACY_ROWS, titles[:1], "gbk"),
    }
    landed = {}
    for kind, path in files.items():
        ingest_home = tmp_path / kind
        report = land(ingest_home, path)
        assert file_counts(report) == {path.name: ("landed", 3, 2, 1, 0)}, kind
        landed[kind] = landing_rows(ingest_home, SAME)
        assert landing_rows(ingest_home, "SELECT _row_number, reason_code FROM quarantine") == [(3, "negative_amount")]
        assert landing_rows(ingest_home, "SELECT format, encoding FROM ingest_log") == [
            {"csv": ("csv", "utf-8"), "xls": ("xls", None), "html": ("html", "utf-8"),
             "gbk html": ("html", "gb18030")}[kind]]
        if kind != "csv":
            header_row = 3 if kind in ("xls", "html") else 2
            assert report.files[0].message == f"header found on row {header_row}"
    assert landed["csv"][0][3] == 132000.0
    assert landed["xls"] == landed["html"] == landed["gbk html"] == landed["csv"]
    assert [r[0] for r in landed["csv"]] == ["L-1", "L-2"]


def test_every_file_in_the_inbox_is_named(tmp_path: Path) -> None:
    ingest_home = tmp_path / "ingest_home"
    inbox = ingest_home / "inbox"
    inbox.mkdir(parents=True)
    write_csv(inbox / "预警线索_2023-10.csv", ALERT_HEADER_ZH, [alert_row(alert_id="E-1")])
    write_xls(inbox / "预警线索_2023-11.xls", ALERT_HEADER_ZH, [alert_row(alert_id="E-2")])
    write_html(inbox / "预警线索_2023-12.xls", ALERT_HEADER_ZH, [alert_row(alert_id="E-3")])
    write_html(inbox / "工作台账_2023-12.html", ACTIVITY_HEADER_ZH, [["HD-1", "2023-12-02", "贾宋镇", "反诈宣传", "12"]])
    (inbox / "~$预警线索_2023-11.xls").write_bytes(b"\x0bfanzha")
    (inbox / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (inbox / "说明.docx").write_bytes(b"PK\x03\x04")
    result = run_fanzha(ingest_home, "ingest", check=False)
    assert result.returncode == 1
    table = {line.split()[0]: line.split()[-1] for line in result.stdout.splitlines()[1:8]}
    assert table == {
        "说明.docx": "rejected", "预警线索_2023-10.csv": "landed", "预警线索_2023-11.xls": "landed",
        "工作台账_2023-12.html": "landed", "预警线索_2023-12.xls": "landed",
        ".DS_Store": "skipped_hidden_file", "~$预警线索_2023-11.xls": "skipped_lock_file",
    }
    assert "fanzha ingest: rejected 说明.docx: not a supported export (CSV, XLSX, XLS)" in result.stderr
    assert landing_rows(ingest_home, "SELECT alert_id FROM alerts ORDER BY 1") == [("E-1",), ("E-2",), ("E-3",)]
    assert sorted(p.name for p in inbox.iterdir()) == [".DS_Store", "~$预警线索_2023-11.xls", "说明.docx"]


# --- 4. whitespace inside cells ------------------------------------------------------------------------------------

def test_line_breaks_tabs_and_fullwidth_spaces_inside_cells(ingest_home: Path, tmp_path: Path) -> None:
    row = alert_row(alert_id="W-1", township="贾宋\n镇", village="井庄\t村", police_station="三召\n派出所",
                    occupation="医\u3000生", alert_type="资金\n预警", employer="南和区\r\n人民医院", fraud_type="刷\n单")
    assert file_counts(land(ingest_home, write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [row]))) == {
        "alerts_2023-11.csv": ("landed", 1, 1, 0, 0)}
    assert landing_rows(ingest_home, "SELECT township_code, village_code, village_raw, police_station, occupation, "
                              "occupation_raw, alert_type, employer, fraud_type, fraud_type_raw, _flags "
                              "FROM alerts") == [
        ("130506101", "130506101201", "井庄\t村", "三召派出所", "医务人员", "医 生", "资金预警", "南和区人民医院",
         "刷单返利", "刷\n单", []),
    ]
