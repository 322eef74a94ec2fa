"""`fanzha ingest` as a command: exit codes, messages, the inbox and its archive, the file ledger, the key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.fixtures.cli import TEST_PII_KEY, fanzha_env, run_fanzha
from tests.fixtures.ingest.files import ALERT_HEADER_ZH, alert_row, hmac_hex, landing_rows, write_csv


def fanzha(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fanzha.cli", *args], env=fanzha_env(home, **env),
                          capture_output=True, text=True, timeout=300)


def test_inbox_files_move_to_the_archive_and_the_table_reconciles(tmp_path: Path) -> None:
    home = tmp_path / "home"
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    write_csv(inbox / "alerts_2023-11.csv", ALERT_HEADER_ZH,
              [alert_row(alert_id="A-1"), alert_row(alert_id="A-2", amount_at_risk="-1")])
    (inbox / "说明.txt").write_text("not an export", encoding="utf-8")
    result = run_fanzha(home, "ingest", check=False)
    assert result.returncode == 1  # a file that is not an export is rejected by name, never passed over
    assert result.stderr.splitlines()[-1] == "fanzha ingest: rejected 说明.txt: not a supported export (CSV, XLSX, XLS)"
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["file", "feed", "read", "landed", "quarantined", "duplicate", "status"]
    assert lines[1].split() == ["说明.txt", "-", "0", "0", "0", "0", "rejected"]  # no month in its name: first
    assert lines[2].split() == ["alerts_2023-11.csv", "alerts", "2", "1", "1", "0", "landed"]
    assert lines[-1].split() == ["TOTAL", "2", "1", "1", "0", "2", "files"]
    archived = home / "archive" / date.today().isoformat() / "alerts_2023-11.csv"
    assert archived.exists() and not (inbox / "alerts_2023-11.csv").exists()
    assert (inbox / "说明.txt").exists()  # rejected: left in the inbox
    assert landing_rows(home, "SELECT file_name, rows_read, rows_landed, rows_quarantined, rows_duplicate, status "
                              "FROM ingest_log ORDER BY _file_id") == [
        ("说明.txt", 0, 0, 0, 0, "rejected"), ("alerts_2023-11.csv", 2, 1, 1, 0, "landed")]


def test_explicit_paths_stay_where_they_are_and_a_second_run_is_a_no_op(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [alert_row()])
    run_fanzha(home, "ingest", str(path))
    assert path.exists()
    copy = tmp_path / "copy" / "same_content.csv"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    again = run_fanzha(home, "ingest", str(path), str(copy.parent))
    assert again.returncode == 0
    assert [line.split()[-1] for line in again.stdout.splitlines()[1:3]] == ["skipped_duplicate_file"] * 2
    assert landing_rows(home, "SELECT count(*) FROM alerts") == [(1,)]
    assert landing_rows(home, "SELECT status, rows_read FROM ingest_log ORDER BY _file_id") == [
        ("landed", 1), ("skipped_duplicate_file", 0), ("skipped_duplicate_file", 0),
    ]


def test_a_file_of_no_feed_is_rejected_by_name_with_its_headers_and_exit_1(tmp_path: Path) -> None:
    home = tmp_path / "home"
    good = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [alert_row()])
    odd = write_csv(tmp_path / "花名册.csv", ["序号", "单位名称", "联系人"], [["1", "和阳镇", "王"]])
    result = run_fanzha(home, "ingest", str(odd), str(good), check=False)
    assert result.returncode == 1
    assert "花名册.csv" in result.stderr and "['序号', '单位名称', '联系人']" in result.stderr
    assert "Traceback" not in result.stderr
    assert landing_rows(home, "SELECT file_name, status FROM ingest_log ORDER BY file_name") == [
        ("alerts_2023-11.csv", "landed"), ("花名册.csv", "rejected"),
    ]


def test_a_headerless_file_is_rejected_without_echoing_personal_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    row = alert_row(name="孙悟空")
    path = write_csv(tmp_path / "x.csv", row, [row])  # data where the header row should be
    result = run_fanzha(home, "ingest", str(path), check=False)
    assert result.returncode == 1
    for secret in ("孙悟空", row[6], row[7]):
        assert secret not in result.stderr
        assert not landing_rows(home, "SELECT 1 FROM ingest_log WHERE contains(message, ?)", [secret])
    assert "孙某" in result.stderr


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run_fanzha(tmp_path / "home", "ingest", str(tmp_path / "nope.csv"), check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == f"fanzha ingest: error: no such file or folder: {tmp_path / 'nope.csv'}"


def test_quiet_prints_nothing_when_all_is_well(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [alert_row()])
    result = run_fanzha(tmp_path / "home", "ingest", "--quiet", str(path))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


# --- the pseudonymisation key -------------------------------------------------------------------------------------

def test_a_short_key_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [alert_row()])
    result = fanzha(tmp_path / "home", "ingest", str(path), FANZHA_PII_KEY="too-short")
    assert result.returncode == 2
    assert "at least 32 bytes" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "home" / "landing.duckdb").exists()


def test_without_a_key_one_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in fanzha_env(home).items() if k != "FANZHA_PII_KEY"}
    first = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [alert_row(alert_id="A-1")])
    second = write_csv(tmp_path / "alerts_2023-12.csv", ALERT_HEADER_ZH, [alert_row(alert_id="A-2")])
    for path in (first, second):
        subprocess.run([sys.executable, "-m", "fanzha.cli", "ingest", str(path)], env=env, check=True,
                       capture_output=True)
    key_file = home / "secrets" / "pii.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) == 64
    keys = landing_rows(home, "SELECT DISTINCT person_key FROM alerts")
    assert len(keys) == 1 and keys[0][0] != hmac_hex(alert_row()[6])  # same key both runs; not the test key
    os.chmod(key_file, 0o644)
    result = subprocess.run([sys.executable, "-m", "fanzha.cli", "ingest", str(first)], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "chmod 600" in result.stderr


def test_the_person_key_is_the_hmac_of_the_id(tmp_path: Path) -> None:
    home = tmp_path / "home"
    row = alert_row()
    run_fanzha(home, "ingest", str(write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, [row])))
    assert TEST_PII_KEY  # the key run_fanzha passes
    assert landing_rows(home, "SELECT person_key FROM alerts") == [(hmac_hex(row[6]),)]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("alerts_2023-11.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "a damaged Excel 97-2003 file (.xls)"),
    ("alerts_2023-10.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
     "not a readable XLS (Excel 97\u20132003) workbook"),
    ("alerts_2023-09.html", b"<html><body><p>no table here</p></body></html>", "an HTML page without a table"),
    ("alerts_2023-08.pdf", b"%PDF-1.4", "not a supported export (CSV, XLSX, XLS)"),
    ("alerts_2023-11.csv", b"\x00\x01\x02binary", "binary data"),
    ("alerts_2023-12.csv", b"", "empty"),
])
def test_unreadable_bytes_reject_the_file(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_fanzha(tmp_path / "home", "ingest", str(path), check=False)
    assert result.returncode == 1 and name in result.stderr and reason in result.stderr
