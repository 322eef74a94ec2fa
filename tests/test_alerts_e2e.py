"""Alerts end to end through `fanzha run`: a local HTTP receiver (127.0.0.1, started here) is the json://
route. On the demo's published warehouse (its alerts taken as already delivered by a first run), new
exports add one post-warning victim and two overdue fund leads; the run delivers exactly those alerts with
masked names, a second run delivers nothing, and a receiver answering 500 gets the alert again on the next
run (exit 3 meanwhile)."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.fixtures.cli import run_fanzha
from tests.fixtures.ingest.files import (
    ALERT_HEADER_ZH,
    CASE_HEADER_ZH,
    CONTACT_HEADER_ZH,
    alert_row,
    valid_id,
    write_csv,
)

pytestmark = pytest.mark.e2e

JIASONG, HEYANG = "130506101", "130506100"
VICTIM_ID = valid_id("13050619880512123")


class Receiver:
    """Records every POST (path, JSON body); answers `status`."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                receiver.received.append((self.path, json.loads(self.rfile.read(length) or b"{}")))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def take(self) -> list[tuple[str, dict]]:
        got, self.received = self.received, []
        return got


def routes(port: int) -> str:
    return f"""
[[route]]
name = "区委政法委"
committee = true
kinds = ["post_warning_victim"]
urls = ["json://127.0.0.1:{port}/committee"]

[[route]]
name = "贾宋镇"
unit = "{JIASONG}"
kinds = ["post_warning_victim", "overdue_lead"]
urls = ["json://127.0.0.1:{port}/jiasong"]

[[route]]
name = "和阳镇"
unit = "{HEYANG}"
kinds = ["overdue_lead"]
urls = ["json://127.0.0.1:{port}/heyang"]
"""


def contact_row(action_id: str, alert_id: str, at: str, kind: str, method: str, outcome: str) -> list[str]:
    return [action_id, alert_id, at, kind, method, "", "是", "", "", "", "", "", "", "", outcome, "", ""]


def case_row(case_id: str, reported: str, occurred: str, name: str, id_number: str, township: str,
             village: str, loss: str) -> list[str]:
    return [case_id, reported, occurred, name, id_number, "", "", "", "", "", township, village, "刷单返利", loss,
            "", ""]


def extra_exports(inbox: Path) -> None:
    """Late June exports (the demo ends 2024-06-30 22:47; the case below, reported at 23:30, becomes the
    cut-off). W1 (贾宋镇井庄村, 06-29 08:00) is never contacted: first contact due 09:00, face to face due
    06-30 08:00. W2 (和阳镇, 06-29 09:00) is phoned at 09:30 but never met: face to face due 06-30 09:00.
    P is a phone warning (not watched) on 06-28 07:00 whose person is defrauded on 06-29 20:00: 预后被骗."""
    write_csv(inbox / "预警线索_2024-06_补充.csv", ALERT_HEADER_ZH, [
        alert_row(alert_id="W1", issued_at="2024-06-29 08:00:00", name="赵大明", phone="13900000001",
                  id_number=valid_id("13050619900307555"), township="贾宋镇", village="井庄村", amount_at_risk="50000",
                  employer=""),
        alert_row(alert_id="W2", issued_at="2024-06-29 09:00:00", name="钱小红", phone="13900000002",
                  id_number=valid_id("13050619920101666"), township="和阳镇", village="", amount_at_risk="20000",
                  employer=""),
        alert_row(alert_id="P", issued_at="2024-06-28 07:00:00", name="孙小军", phone="13900000003",
                  id_number=VICTIM_ID, alert_type="电话预警", township="贾宋镇", village="井庄村", employer=""),
    ])
    write_csv(inbox / "劝阻记录_2024-06_补充.csv", CONTACT_HEADER_ZH, [
        contact_row("C-W2", "W2", "2024-06-29 09:30:00", "首次劝阻", "电话", "劝阻成功"),
        contact_row("C-P", "P", "2024-06-28 07:30:00", "首次劝阻", "电话", "劝阻成功"),
    ])
    write_csv(inbox / "案件_2024-06_补充.csv", CASE_HEADER_ZH, [
        case_row("K1", "2024-06-30 23:30:00", "2024-06-29 20:00:00", "孙小军", VICTIM_ID, "贾宋镇", "井庄村", "36000"),
    ])


def second_victim(inbox: Path) -> None:
    """The same person defrauded again on 06-30 09:00, reported 23:00 (the cut-off stays 23:30)."""
    write_csv(inbox / "案件_2024-06_补充2.csv", CASE_HEADER_ZH, [
        case_row("K2", "2024-06-30 23:00:00", "2024-06-30 09:00:00", "孙小军", VICTIM_ID, "贾宋镇", "井庄村", "8000"),
    ])


@pytest.fixture()
def home(demo_home: Path, tmp_path: Path) -> Path:
    """A copy of the demo's data home (landing + published warehouse), with an empty inbox."""
    mine = tmp_path / "home"
    mine.mkdir()
    for name in ("landing.duckdb", "warehouse.duckdb"):
        shutil.copy2(demo_home / name, mine / name)
    (mine / "inbox").mkdir()
    return mine


def bodies(got: list[tuple[str, dict]]) -> str:
    return "\n".join(f"{p} {b['title']}\n{b['message']}" for p, b in got)


def test_alerts_reach_the_routes_once_and_failed_ones_again(home: Path) -> None:
    with Receiver() as receiver:
        (home / "alerts.toml").write_text(routes(receiver.port), encoding="utf-8")

        # The demo's own alerts (its overdue leads of 贾宋镇 and 和阳镇): delivered by a first, no-op run.
        first = run_fanzha(home, "run", check=False)
        assert first.returncode == 0, first.stdout + first.stderr
        baseline = receiver.take()
        assert {p for p, _ in baseline} == {"/jiasong", "/heyang"}

        extra_exports(home / "inbox")
        result = run_fanzha(home, "run", check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        got = sorted(receiver.take(), key=lambda pb: pb[0])
        # The victim to the committee and to 贾宋镇; W1 in 贾宋镇's digest, W2 in 和阳镇's: four messages.
        assert [p for p, _ in got] == ["/committee", "/heyang", "/jiasong", "/jiasong"]
        committee = got[0][1]
        assert committee["title"] == "【预后被骗】贾宋镇井庄村 孙某"
        assert "2024年6月29日 20:00 被骗（刷单返利），损失3.60万元，2024年6月30日 23:30 报案" in committee["message"]
        assert "此人曾于 2024年6月28日 07:00 被预警，相隔1天" in committee["message"]
        heyang = got[1][1]
        assert heyang["title"] == "【超时线索】和阳镇：1 条预警线索超时未处置"
        assert "1. 钱某（村庄不详），资金预警 2.00万元，2024年6月29日 09:00 下发：见面劝阻 已超时14小时30分钟" in heyang["message"]
        jiasong = sorted(b["title"] for _, b in got[2:])
        assert jiasong == ["【超时线索】贾宋镇：1 条预警线索超时未处置", "【预后被骗】贾宋镇井庄村 孙某"]
        digest = next(b["message"] for _, b in got[2:] if b["title"].startswith("【超时线索】"))
        # W1: first contact due 06-29 09:00, cut-off 06-30 23:30 -> 1 day 14 hours 30 minutes; face to face too.
        assert "1. 赵某（井庄村），资金预警 5.00万元，2024年6月29日 08:00 下发：首次劝阻 已超时1天14小时" in digest
        assert "超时环节：首次劝阻、见面劝阻" in digest
        text = bodies(got)
        for secret in ("赵大明", "钱小红", "孙小军", VICTIM_ID, "1390000000", "W1", "W2", "K1"):
            assert secret not in text

        again = run_fanzha(home, "run", check=False)
        assert again.returncode == 0, again.stdout + again.stderr
        assert receiver.take() == []

        # A second victim while the receiver fails: exit 3, published all the same, retried next run.
        second_victim(home / "inbox")
        receiver.status = 500
        failed = run_fanzha(home, "run", check=False)
        assert failed.returncode == 3, failed.stdout + failed.stderr
        assert "published; alerts NOT delivered" in failed.stdout
        assert "not delivered: 区委政法委 (json://127.0.0.1:" in failed.stdout
        assert len(receiver.take()) == 2  # tried: committee and 贾宋镇
        receiver.status = 200
        retried = run_fanzha(home, "run", check=False)
        assert retried.returncode == 0, retried.stdout + retried.stderr
        got = receiver.take()
        assert sorted(p for p, _ in got) == ["/committee", "/jiasong"]
        assert all("损失0.80万元" in b["message"] for _, b in got)

        history = run_fanzha(home, "alerts", "--history").stdout
        victims = sorted((f[1], f[2]) for f in (line.split() for line in history.splitlines()) if "预后被骗" in f)
        assert victims == [("sent", "1"), ("sent", "1"), ("sent", "2"), ("sent", "2")]  # K1, K2 x two routes
        dry = run_fanzha(home, "alerts", "--dry-run").stdout
        assert "nothing due" in dry
