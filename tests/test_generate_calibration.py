"""The synthetic Nanhe scenario reproduces the ten published figures (calibration.md), computed from the
written files by the plain reader; and the figure functions are right on hand-made tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.fixtures.cli import run_fanzha
from tools.calibration_targets import TARGETS, within
from tools.generate import calibration as cal
from tools.generate.plain_reader import read_folder


@pytest.fixture(scope="module")
def nanhe(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The default scenario, generated once with --report: (output folder, report text)."""
    home = tmp_path_factory.mktemp("gen_calibration")
    result = run_fanzha(home, "generate", "--out", str(home / "out"), "--report")
    return home / "out", result.stdout


def test_every_figure_is_within_tolerance(nanhe: tuple[Path, str]) -> None:
    results = cal.compute(read_folder(nanhe[0]).frames)
    off = [(t.number, t.name, v) for t, v in results if not within(t, v)]
    assert off == []
    assert len(results) == len(TARGETS)


def test_report_command_prints_all_figures(nanhe: tuple[Path, str]) -> None:
    lines = [line for line in nanhe[1].splitlines() if line and line[0] in "✓✗"]
    assert len(lines) == len(TARGETS)
    assert all(line.startswith("✓") for line in lines)
    assert "all ten figures within tolerance" in nanhe[1]


def test_report_exits_1_when_a_figure_is_off(tmp_path: Path) -> None:
    """Only Nov-Dec 2023 written: Y0 is empty, so the year-on-year figures cannot hold."""
    result = run_fanzha(tmp_path, "generate", "--out", str(tmp_path / "o"), "--start", "2023-11", "--end", "2023-12",
                        "--report", check=False)
    assert result.returncode == 1
    assert "✗" in result.stdout
    assert "Traceback" not in result.stderr


# --- figure functions on hand-made tables -------------------------------------------------------------

VALID_ID = "11010519491231002X"  # the standard's own worked example (check digit X)


def _cases(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["case_id", "occurred_at", "id_number", "phone", "loss_amount", "age"]).assign(
        occurred_at=lambda f: pd.to_datetime(f["occurred_at"]))


def _alerts(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["alert_id", "issued_at", "id_number", "phone", "alert_type"]).assign(
        issued_at=lambda f: pd.to_datetime(f["issued_at"]))


def test_valid_id_checks_the_gb11643_digit() -> None:
    ids = pd.Series([VALID_ID, VALID_ID[:-1] + "1", "11010519491231002x", "123", None])
    assert cal.valid_id(ids).tolist() == [VALID_ID, "", VALID_ID, "", ""]


def test_loss_bands_put_10000_in_the_middle_band_and_sum_losses() -> None:
    cases = _cases([("a", "2022-05-01", "", "", 9999.0, 30), ("b", "2022-05-01", "", "", 10000.0, 30),
                    ("c", "2023-05-01", "", "", 50000.0, 30), ("d", "2023-05-01", "", "", 49999.0, 30),
                    ("late", "2024-04-01", "", "", 1.0, 30)])
    shares, losses = cal.loss_bands(cases)
    assert shares == [25.0, 50.0, 25.0]
    assert losses == [0.9999, 5.9999, 5.0]


def test_post_warning_needs_a_lead_within_365_days_before_by_id_or_phone() -> None:
    alerts = _alerts([("L1", "2022-04-01", VALID_ID, "", "电话预警"),
                      ("L2", "2022-04-01", "", "13800000000", "资金预警"),
                      ("L3", "2023-06-02", "", "13900000000", "资金预警")])
    cases = _cases([("in_window_id", "2023-03-31", VALID_ID, "", 100.0, 30),  # 364 days after L1
                    ("too_late", "2023-04-02", "", "13800000000", 100.0, 30),  # 366 days after L2
                    ("by_phone", "2022-04-02", "", "13800000000", 100.0, 30),
                    ("before_lead", "2023-06-01", "", "13900000000", 100.0, 30)])
    assert set(cal.post_warning_cases(alerts, cases)["case_id"]) == {"in_window_id", "by_phone"}


def test_repeat_victim_is_a_later_case_of_the_same_person() -> None:
    cases = _cases([("first", "2022-04-01", VALID_ID, "", 1.0, 30), ("second", "2022-09-01", VALID_ID, "", 1.0, 30),
                    ("other", "2022-09-01", "", "13700000000", 1.0, 30)])
    assert cal.repeat_victim_cases(cases)["case_id"].tolist() == ["second"]


def _id_for(birth: str) -> str:
    """A resident ID with the given birth date and a check digit computed by hand from ISO 7064 MOD 11-2."""
    body = "130506" + birth.replace("-", "") + "123"
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def test_age_comes_from_a_valid_id_at_occurrence_else_the_age_column() -> None:
    young, old = _id_for("2002-06-15"), _id_for("1971-06-15")
    cases = _cases([("a", "2022-06-14", young, "", 1.0, 35),  # 19: the day before the 20th birthday
                    ("b", "2022-06-15", young, "", 1.0, 35),  # 20
                    ("c", "2022-06-14", old, "", 1.0, 35),    # 50
                    ("d", "2022-06-15", old, "", 1.0, 35),    # 51
                    ("e", "2022-06-15", young[:-1] + ("0" if young[-1] != "0" else "1"), "", 1.0, 35)])  # bad ID: 年龄 35
    assert cal.victims_20_50(cases) == pytest.approx(60.0)


def test_face_to_face_counts_method_or_flag_over_y1_fund_leads() -> None:
    alerts = _alerts([("F1", "2023-04-01", "", "", "资金预警"), ("F2", "2023-04-01", "", "", "资金预警"),
                      ("F3", "2023-04-01", "", "", "资金预警"), ("P1", "2023-04-01", "", "", "电话预警"),
                      ("F0", "2022-04-01", "", "", "资金预警")])
    contacts = pd.DataFrame({"alert_id": ["F1", "F2", "F3", "P1"], "method": ["警示室", "电话", "电话", "上门见面"],
                             "face_to_face": [None, True, False, None]})
    assert cal.face_to_face_y1(alerts, contacts) == pytest.approx(200 / 3)


def test_intercepted_y1_needs_both_the_stop_and_the_lead_in_y1() -> None:
    alerts = _alerts([("Y1", "2024-02-29", "", "", "资金预警"), ("Y0", "2023-02-28", "", "", "资金预警")])
    inter = pd.DataFrame({"alert_id": ["Y1", "Y1", "Y0", ""],
                          "stopped_at": pd.to_datetime(["2024-02-29 23:00", "2024-03-01 00:01", "2023-03-01 00:00", "2023-05-01 00:00"]),
                          "amount": [10_000.0, 20_000.0, 40_000.0, 80_000.0]})
    assert cal.intercepted_y1(alerts, inter) == pytest.approx(1.0)
