"""Which files an ingest takes: one rule (ingestion.discover.select_exports) for `fanzha ingest` and `fanzha run`;
every file it does not take is named with its reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ingestion.discover import select_exports
from tests.fixtures.cli import fanzha_env, run_fanzha
from tests.fixtures.ingest.files import ALERT_HEADER_ZH, alert_row, landing_rows, write_csv

PAUSED = Path(__file__).parent / "fixtures" / "paused.py"


def test_lock_hidden_manifest_and_other_files_are_passed_over_with_their_reason(tmp_path: Path) -> None:
    names = ["manifest.json", ".partial.csv", "alerts_2023-11.csv", "sub/预警线索_2023-12.xlsx", "~$预警线索_2022-03.xlsx",
             ".DS_Store", ".hidden/alerts_2023-09.csv", "说明.txt", "案件_2023-10.CSV"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    selection = select_exports([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in selection.files] == [  # export order: by month, then name
        "说明.txt", "案件_2023-10.CSV", "alerts_2023-11.csv", "sub/预警线索_2023-12.xlsx",
    ]  # 说明.txt is taken, to be rejected by name as not an export
    assert sorted((p.path.relative_to(tmp_path).as_posix(), p.status) for p in selection.passed_over) == [
        (".DS_Store", "skipped_hidden_file"),
        (".hidden/alerts_2023-09.csv", "skipped_hidden_file"),
        (".partial.csv", "skipped_hidden_file"),
        ("manifest.json", "skipped_manifest"),
        ("~$预警线索_2022-03.xlsx", "skipped_lock_file"),
    ]


def test_a_named_lock_file_is_passed_over_too(tmp_path: Path) -> None:
    lock = tmp_path / "~$预警线索_2022-03.xlsx"
    lock.write_bytes(b"\x0bfanzha  \x00\x00")
    selection = select_exports([lock])
    assert selection.files == []
    assert [(p.status, p.reason) for p in selection.passed_over] == [
        ("skipped_lock_file", "an Excel lock file (the workbook is open in Excel), not an export"),
    ]


def _inbox(home: Path) -> None:
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    write_csv(inbox / "预警线索_2022-03.csv", ALERT_HEADER_ZH, [alert_row(alert_id="A-1", issued_at="2022-03-05")])
    (inbox / "~$x.xlsx").write_bytes(b"\x0bfanzha  \x00\x00\x00")  # what Excel writes while x.xlsx is open
    (inbox / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1\x00\x00")


EXPECTED_SKIPS = [
    "skipped .DS_Store: a hidden file, not an export",
    "skipped ~$x.xlsx: an Excel lock file (the workbook is open in Excel), not an export",
]


def test_fanzha_ingest_and_fanzha_run_take_the_same_files_and_name_the_others(tmp_path: Path) -> None:
    by_ingest, by_run = tmp_path / "ingest", tmp_path / "run"
    _inbox(by_ingest)
    _inbox(by_run)

    ingest = run_fanzha(by_ingest, "ingest")
    assert ingest.returncode == 0 and "rejected" not in ingest.stderr
    assert [line for line in ingest.stdout.splitlines() if line.startswith("skipped")] == EXPECTED_SKIPS
    table = {line.split()[0]: line.split()[-1] for line in ingest.stdout.splitlines()[1:4]}
    assert table == {"预警线索_2022-03.csv": "landed", ".DS_Store": "skipped_hidden_file", "~$x.xlsx": "skipped_lock_file"}

    # the monthly run, stopped at the end of its ingest stage (the build is not what this test is about)
    proc = subprocess.Popen([sys.executable, str(PAUSED), "run", "ingest"], env=fanzha_env(by_run),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("FANZHA_TEST_PAUSED"):
                break
    finally:
        proc.kill()
        proc.wait()
    output = "\n".join(lines)
    assert lines[-1] == "FANZHA_TEST_PAUSED ingest", output
    assert [line.strip() for line in lines if line.strip().startswith("skipped")] == EXPECTED_SKIPS, output
    assert "rejected" not in output.replace("0 rejected", "")

    ledger = "SELECT file_name, status, rows_read, rows_landed FROM ingest_log ORDER BY _file_id"
    assert landing_rows(by_ingest, ledger) == landing_rows(by_run, ledger) == [
        ("预警线索_2022-03.csv", "landed", 1, 1),
    ]
    for home in (by_ingest, by_run):  # the export moved to the archive; the lock and hidden files stay
        assert sorted(p.name for p in (home / "inbox").iterdir()) == [".DS_Store", "~$x.xlsx"]
