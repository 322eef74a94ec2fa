"""Issuing freezes a notice: same data → same fingerprint and no new revision; changed data →
revision 2 with what changed; a published revision is never rewritten; the CLI says so."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from fanzha.core.paths import DataHome
from fanzha.core.read_api import Reader
from fanzha.notice.data import NoDataForMonth
from fanzha.notice.issue import issue_notices
from tests.fixtures.cli import fanzha_env
from tests.fixtures.notice import build_notice_warehouse

NOV = date(2023, 11, 1)


@pytest.fixture
def home(tmp_path: Path) -> DataHome:
    build_notice_warehouse(tmp_path / "warehouse.duckdb")
    return DataHome(tmp_path)


def test_first_issue_writes_frozen_revision_one(home: DataHome) -> None:
    with Reader(home) as reader:
        [result] = issue_notices(home, reader, NOV, "all", ("xlsx", "docx", "html"))
    assert (result.status, result.revision) == ("issued", 1)
    rev = home.notices / "2023-11" / "rev-1"
    assert sorted(p.name for p in rev.iterdir()) == ["issued.json", "notice.docx", "notice.html", "notice.xlsx"]
    issued = json.loads((rev / "issued.json").read_text("utf-8"))
    assert issued["scheme_version"] == "2023.1" and issued["revision"] == 1
    assert issued["input_fingerprint"] == result.fingerprint and len(result.fingerprint) == 64
    townships = [(e["rank"], e["unit_name"]) for e in issued["ranking"] if e["kind"] == "township"]
    assert townships == [(1, "和阳镇"), (2, "贾宋镇"), (2, "郝桥镇"), (4, "三思镇"), (5, "东三召乡"), (None, "河郭镇")]
    assert not (rev / "notice.xlsx").stat().st_mode & 0o222  # read-only once published


def test_reissue_unchanged_data_keeps_fingerprint_and_revision(home: DataHome) -> None:
    with Reader(home) as reader:
        [first] = issue_notices(home, reader, NOV)
        before = (first.directory / "issued.json").read_bytes()
        [again] = issue_notices(home, reader, NOV)
    assert (again.status, again.revision, again.fingerprint) == ("unchanged", 1, first.fingerprint)
    assert "no new revision" in again.message()
    assert [p.name for p in (home.notices / "2023-11").iterdir()] == ["rev-1"]
    assert (first.directory / "issued.json").read_bytes() == before


def test_changed_data_gives_revision_two_and_keeps_revision_one(home: DataHome) -> None:
    with Reader(home) as reader:
        [first] = issue_notices(home, reader, NOV)
    rev1 = (first.directory / "notice.xlsx").read_bytes()
    con = duckdb.connect(str(home.warehouse))
    con.execute("use marts")
    con.execute("update ranking_unit_monthly set rank = 4, total_score = 60.00 where unit_name = '郝桥镇'")
    con.execute("update ranking_unit_monthly set rank = 3, total_score = 61.25 where unit_name = '三思镇'")
    con.close()
    with Reader(home) as reader:
        [second] = issue_notices(home, reader, NOV)
    assert (second.status, second.revision) == ("revised", 2)
    assert second.fingerprint != first.fingerprint
    assert "乡镇郝桥镇：第2名 80.00分（表扬） → 第4名 60.00分（表扬）" in second.changes
    assert "乡镇三思镇：第4名 61.25分（批评） → 第3名 61.25分（批评）" in second.changes
    assert (first.directory / "notice.xlsx").read_bytes() == rev1
    issued = json.loads((second.directory / "issued.json").read_text("utf-8"))
    assert issued["changes"] == second.changes
    sheet = openpyxl.load_workbook(second.directory / "notice.xlsx")["乡镇排名"]
    assert [sheet.cell(row=r, column=2).value for r in range(4, 10)] == [
        "和阳镇", "贾宋镇", "三思镇", "郝桥镇", "东三召乡", "河郭镇"]


def test_empty_month_issues_nothing(home: DataHome) -> None:
    with Reader(home) as reader, pytest.raises(NoDataForMonth):
        issue_notices(home, reader, date(2024, 9, 1))
    assert not (home.notices / "2024-09").exists()


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fanzha.cli", "notice", *args], env=fanzha_env(home),
                          capture_output=True, text=True, timeout=120)


def test_cli_issues_then_reports_unchanged_and_refuses_empty_month(home: DataHome) -> None:
    first = _cli(home.root, "--month", "2023-11")
    assert first.returncode == 0, first.stderr
    assert "issued revision 1" in first.stdout
    second = _cli(home.root, "--month", "2023-11", "--format", "html")
    assert second.returncode == 0 and "no new revision issued" in second.stdout
    assert second.stdout.count("notice.") == 1
    empty = _cli(home.root, "--month", "2024-09")
    assert empty.returncode == 1
    assert "2024-09: no assessment data" in empty.stderr and "Traceback" not in empty.stderr


def test_cli_draft_to_out_dir_from_a_given_warehouse(tmp_path: Path) -> None:
    warehouse = build_notice_warehouse(tmp_path / "elsewhere.duckdb")
    out = tmp_path / "drafts"
    result = _cli(tmp_path / "home", "--month", "2023-11", "--kind", "township", "--format", "xlsx,html",
                  "--out", str(out), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notice_2023-11_township.html", "notice_2023-11_township.xlsx"]
    assert not (tmp_path / "home" / "notices").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("--month", "2023-13"), "expected YYYY-MM"),
    (("--month", "2023-11", "--format", "pdf"), "choose from xlsx, docx, html"),
    (("--month", "2023-11", "--warehouse", "/nonexistent/w.duckdb"), "no such file"),
])
def test_cli_usage_errors_are_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = _cli(tmp_path, *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_cli_without_warehouse_fails_cleanly(tmp_path: Path) -> None:
    result = _cli(tmp_path, "--month", "2023-11")
    assert result.returncode == 1
    assert "no published warehouse" in result.stderr and "Traceback" not in result.stderr


def test_cli_on_a_warehouse_without_the_assessment_marts(tmp_path: Path) -> None:
    warehouse = tmp_path / "old.duckdb"
    duckdb.connect(str(warehouse)).execute(
        "create schema marts; create table marts.kpi_unit_monthly (unit_code varchar)").close()
    result = _cli(tmp_path, "--month", "2023-11", "--warehouse", str(warehouse))
    assert result.returncode == 1
    assert "lacks a table the notice needs" in result.stderr and "assessment_unit_monthly" in result.stderr
    assert "Traceback" not in result.stderr


def test_changes_against_a_revision_issued_under_the_old_scheme() -> None:
    """Re-issuing a month after the scheme change: the revision lists the new version and each unit's move,
    including units now 本月无可考核事项 (older records have no is_assessed: every unit was ranked)."""
    from fanzha.notice.issue import describe_changes

    old = {"scheme_version": "2023.1", "summary": {}, "interceptions": [], "ranking": [
        {"kind": "member_unit", "unit_code": "M06", "unit_name": "人民银行南和支行", "rank": 1, "total_score": 100.0,
         "is_commended": True, "is_criticised": False},
        {"kind": "member_unit", "unit_code": "M01", "unit_name": "区公安分局", "rank": 1, "total_score": 100.0,
         "is_commended": True, "is_criticised": False}]}
    new = {"scheme_version": "2024.1", "summary": {}, "interceptions": [], "ranking": [
        {"kind": "member_unit", "unit_code": "M06", "unit_name": "人民银行南和支行", "rank": None,
         "total_score": 100.0, "is_assessed": False, "is_commended": False, "is_criticised": False},
        {"kind": "member_unit", "unit_code": "M01", "unit_name": "区公安分局", "rank": 1, "total_score": 98.81,
         "is_assessed": True, "is_commended": True, "is_criticised": False}]}
    assert describe_changes(old, new) == [
        "评分方案版本 2023.1 → 2024.1",
        "成员单位区公安分局：第1名 100.00分（表扬） → 第1名 98.81分（表扬）",
        "成员单位人民银行南和支行：第1名 100.00分（表扬） → 本月无可考核事项",
    ]
