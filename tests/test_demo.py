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
