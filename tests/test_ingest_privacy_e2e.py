"""No raw resident ID, phone or bank card number anywhere after a monthly run: one scan with the door's own
patterns (ingestion/sensitive.py) over every text column of every table of the landing database (quarantine and
ledger included) and of the published warehouse, every log file, and the run's console output.

The inbox holds three generated months plus a hand-made export with personal data typed where it does not
belong, a ragged row, a record number that is a resident ID, and two files named after people.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingestion.sensitive import scan
from ingestion.sqlnorm import install_macros
from tests.fixtures.cli import run_fanzha
from tests.fixtures.ingest.files import ALERT_HEADER_ZH, alert_row, csv_bytes, valid_id

pytestmark = pytest.mark.e2e

ID_1985 = valid_id("13050619851111002")
CARD = "6222020000001234567"
PLANTED = [
    alert_row(alert_id="PII-1", issued_at="2023-12-05 10:00:00", village=f"井庄村{ID_1985}",
              employer="南和区人民医院 电话13912345678", police_station=f"贾宋派出所 卡号{CARD}"),
    alert_row(alert_id="PII-2", issued_at="2023-12-06 10:00:00", fraud_type="刷单 +86 139 1234 5678"),
    alert_row(alert_id=ID_1985, issued_at="2023-12-07 10:00:00"),  # quarantined: pii_in_key
]
PLANTED_FILE = "张三13812341234_预警线索_2023-12.csv"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("privacy")
    generated = root / "generated"
    run_fanzha(root, "generate", "--start", "2023-10", "--end", "2023-12", "--out", str(generated))
    home = root / "home"
    shutil.copytree(generated, home / "inbox")
    text = csv_bytes(ALERT_HEADER_ZH, PLANTED).decode("utf-8")
    ragged = ",".join(alert_row(alert_id="PII-4", issued_at="2023-12-08 10:00:00", employer=f"卡{CARD},备注"))
    (home / "inbox" / PLANTED_FILE).write_text(text + ragged + "\n", encoding="utf-8")
    (home / "inbox" / f"{ID_1985}.txt").write_text("备注", encoding="utf-8")
    result = run_fanzha(home, "run", check=False)
    return home, result.stdout + result.stderr


def text_columns(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return conn.execute(
        "SELECT table_schema, table_name, column_name FROM information_schema.columns "
        "WHERE data_type LIKE 'VARCHAR%' OR data_type = 'JSON' OR data_type LIKE '%[]'").fetchall()


def sql_findings(path: Path) -> list[tuple[str, str, str]]:
    """(table, column, masked example) of every text value in which the SQL scanner still finds a number."""
    found = []
    with duckdb.connect(str(path), read_only=True) as conn:
        install_macros(conn)
        columns = text_columns(conn)
        assert len(columns) > 40, path
        for schema, table, column in columns:
            hits = conn.execute(
                f'SELECT DISTINCT CAST("{column}" AS VARCHAR) AS v FROM "{schema}"."{table}" '
                "WHERE len(fz_pii_scan(CAST(v AS VARCHAR)).kinds) > 0 LIMIT 3").fetchall()
            found += [(table, column, fz) for (fz,) in hits]
    return found


def test_the_planted_values_were_there_to_be_found(run: tuple[Path, str]) -> None:
    home, _ = run
    raw = next((home / "archive").glob(f"*/{PLANTED_FILE}")).read_text(encoding="utf-8")
    assert scan(raw)[1] == ["card", "id", "phone"]  # the scan can fail: the input holds all three


def test_no_raw_number_in_landing_warehouse_logs_or_console(run: tuple[Path, str]) -> None:
    home, console = run
    assert "published" in console
    assert sql_findings(home / "landing.duckdb") == []
    assert sql_findings(home / "warehouse.duckdb") == []
    logs = sorted(home.glob("logs/*")) + sorted(home.glob("quality/**/*.json"))
    assert logs
    for path in logs:
        assert scan(path.read_text(encoding="utf-8"))[1] == [], path
    assert scan(console)[1] == [], console[-2000:]


def test_masked_fields_stay_readable_and_are_counted(run: tuple[Path, str]) -> None:
    home, console = run
    log = "".join(p.read_text(encoding="utf-8") for p in home.glob("logs/*.jsonl"))
    assert '"file_name": "张三[手机号已脱敏]_预警线索_2023-12.csv", "status": "landed"' in log
    assert "rejected [身份证号已脱敏].txt: not a supported export (CSV, XLSX, XLS)" in console
    with duckdb.connect(str(home / "landing.duckdb"), read_only=True) as conn:
        assert conn.execute("SELECT alert_id, village_raw, village_code, employer, police_station, fraud_type_raw "
                            "FROM alerts WHERE alert_id LIKE 'PII-%' ORDER BY 1").fetchall() == [
            ("PII-1", "井庄村[身份证号已脱敏]", "130506101201", "南和区人民医院电话[手机号已脱敏]",
             "贾宋派出所卡号[银行卡号已脱敏]", "刷单"),
            ("PII-2", "井庄村", "130506101201", "南和区人民医院", "贾宋派出所", "刷单 [手机号已脱敏]"),
        ]
        assert conn.execute("SELECT _row_number, reason_code FROM quarantine WHERE _file_name = "
                            "'张三[手机号已脱敏]_预警线索_2023-12.csv' ORDER BY 1").fetchall() == [
            (3, "pii_in_key"), (4, "ragged_row")]
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        conn.execute("USE marts")  # the published file holds the marts schema only
        assert conn.execute("SELECT police_station FROM fct_alerts WHERE alert_id = 'PII-1'").fetchall() == [
            ("贾宋派出所卡号[银行卡号已脱敏]",)]
        assert conn.execute("SELECT flag, sum(records) FROM dq_row_flags WHERE flag LIKE 'pii_in_text:%' "
                            "GROUP BY flag ORDER BY flag").fetchall() == [
            ("pii_in_text:employer:phone", 1), ("pii_in_text:fraud_type_raw:phone", 1),
            ("pii_in_text:police_station:card", 1), ("pii_in_text:village_raw:id", 1),
        ]
