"""`fanzha demo`'s sequence: generate with the calibration report, then the monthly run, then the dashboard."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

import fanzha.cli
from fanzha import demo


def _run_demo(monkeypatch: pytest.MonkeyPatch, home: Path, codes: dict[str, int], **opts: object) -> tuple[int, list]:
    calls: list[list[str]] = []

    def fake_main(argv: list[str]) -> int:
        calls.append(list(argv))
        return codes.get(argv[0], 0)

    monkeypatch.setenv("FANZHA_HOME", str(home))
    monkeypatch.setattr(fanzha.cli, "main", fake_main)
    args = argparse.Namespace(no_dashboard=opts.get("no_dashboard", True), port=opts.get("port"), host=None)
    return demo.run(args), calls


def test_demo_generates_with_the_calibration_report_then_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, calls = _run_demo(monkeypatch, tmp_path, {})
    assert code == 0
    assert calls == [["generate", "--out", str(tmp_path / "inbox"), "--report"], ["run"]]


def test_a_figure_out_of_tolerance_stops_the_demo_before_anything_lands(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, calls = _run_demo(monkeypatch, tmp_path, {"generate": 1})
    assert code == 1
    assert [c[0] for c in calls] == ["generate"]


def test_demo_ends_serving_the_dashboard_on_the_chosen_port(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, calls = _run_demo(monkeypatch, tmp_path, {}, no_dashboard=False, port=8765)
    assert code == 0
    assert calls[-1] == ["dashboard", "--port", "8765"]


def test_demo_accounts_are_created_once_with_a_password_printed_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fanzha.access import audit
    from fanzha.access.grants import Grant
    from fanzha.access.users import UserStore
    from fanzha.core.paths import DataHome

    home = DataHome(tmp_path)
    demo.create_demo_accounts(home)
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out[1:6]] == ["demo-committee", "demo-analyst", "demo-jiasong", "demo-heyang",
                                                      "demo-station"]
    assert out[3].split()[1] == "乡镇/成员单位（贾宋镇）" and out[4].split()[1] == "乡镇/成员单位（和阳镇）"
    password = out[6].split("password: ")[1]
    store = UserStore.for_home(home)
    expected = {"demo-committee": Grant("demo-committee", "committee"), "demo-analyst": Grant("demo-analyst", "analyst"),
                "demo-jiasong": Grant("demo-jiasong", "unit", ("130506101",)),
                "demo-heyang": Grant("demo-heyang", "unit", ("130506100",)),
                "demo-station": Grant("demo-station", "station", ("PS02",))}
    for name, grant in expected.items():
        assert store.authenticate(name, password).grant == grant
    stored = b"".join(p.read_bytes() for p in (tmp_path / "access").iterdir())
    assert password.encode() not in stored

    demo.create_demo_accounts(home)  # idempotent: nothing new, no password printed
    again = capsys.readouterr().out
    assert "already created" in again and "password:" not in again
    assert len(store.accounts()) == 5
    assert [r.detail["account"] for r in audit.records(home)] == list(expected)
