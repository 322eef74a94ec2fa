"""Each file lands whole or not at all: kill the process inside a file's transaction, then run again."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.fixtures.cli import fanzha_env, run_fanzha
from tests.fixtures.ingest.files import ALERT_HEADER_ZH, alert_row, landing_rows, write_csv

PAUSED = Path(__file__).parent / "fixtures" / "paused.py"  # ingest with a pause hook inside the transaction


def test_a_kill_mid_file_leaves_landing_as_before_and_the_rerun_lands_the_file_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    earlier = write_csv(tmp_path / "alerts_2023-10.csv", ALERT_HEADER_ZH, [alert_row(alert_id="A-0")])
    run_fanzha(home, "ingest", str(earlier))

    rows = [alert_row(alert_id=f"B-{i}") for i in range(300)] + [alert_row(alert_id="B-x", amount_at_risk="-5")]
    later = write_csv(tmp_path / "alerts_2023-11.csv", ALERT_HEADER_ZH, rows)
    proc = subprocess.Popen([sys.executable, str(PAUSED), "ingest", str(later)], env=fanzha_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # rows, quarantine and log written, not yet committed
        assert line.strip() == "FANZHA_TEST_PAUSED alerts_2023-11.csv", f"ingest ended before the pause: {line!r}"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()

    before = "SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM quarantine), (SELECT count(*) FROM ingest_log)"
    assert landing_rows(home, before) == [(1, 0, 1)]  # exactly as after the first run

    run_fanzha(home, "ingest", str(later))
    assert landing_rows(home, before) == [(301, 1, 2)]
    assert landing_rows(home, "SELECT file_name, status, rows_read, rows_landed, rows_quarantined FROM ingest_log "
                              "ORDER BY _file_id") == [
        ("alerts_2023-10.csv", "landed", 1, 1, 0), ("alerts_2023-11.csv", "landed", 301, 300, 1),
    ]
    assert landing_rows(home, "SELECT count(*), count(DISTINCT alert_id) FROM alerts WHERE alert_id LIKE 'B-%'") == [
        (300, 300),
    ]
