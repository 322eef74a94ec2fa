"""The one reader of issued notices (fanzha.notice.archive): which folders are revisions, in what order, what a
revision's record says, and how issuing, `fanzha notice --list` and the dashboard meet a damaged record."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome
from fanzha.core.read_api import Reader
from fanzha.notice import archive
from fanzha.notice.data import load_notice_data
from fanzha.notice.issue import issue_data, issue_notices
from tests.fixtures.cli import fanzha_env
from tests.fixtures.notice import build_notice_warehouse

NOV = date(2023, 11, 1)


def _revision(notices: Path, month: str, n: int, record: object | None = None, *, raw: str | None = None) -> Path:
    folder = notices / month / f"rev-{n}"
    folder.mkdir(parents=True)
    if raw is not None:
        (folder / archive.ISSUED_FILE).write_text(raw, encoding="utf-8")
    elif record is not None:
        (folder / archive.ISSUED_FILE).write_text(json.dumps(record), encoding="utf-8")
    (folder / "notice.html").write_text("<html></html>", encoding="utf-8")
    return folder


def test_revisions_newest_month_and_revision_first_and_nothing_else(tmp_path: Path) -> None:
    notices = tmp_path / "notices"
    _revision(notices, "2023-11", 1, {"changes": []})
    _revision(notices, "2023-11", 10, {"changes": ["甲"]})  # 10 after 2: numbers, not text
    _revision(notices, "2023-11", 2, {"changes": ["乙"]})
    _revision(notices, "2023-12", 1, {"changes": []})
    _revision(notices, "2023-12", 2)  # no issued.json: not a revision
    (notices / "2023-12" / ".rev-3.tmp-4242").mkdir()  # an issue in progress
    (notices / "drafts" / "rev-1").mkdir(parents=True)  # not a month
    (notices / "2023-12" / "rev-x").mkdir()
    found = [(r.month, r.revision) for r in archive.revisions(notices)]
    assert found == [("2023-12", 1), ("2023-11", 10), ("2023-11", 2), ("2023-11", 1)]
    assert [r.revision for r in archive.revisions(notices, NOV)] == [10, 2, 1]
    assert archive.latest(notices, NOV).revision == 10  # type: ignore[union-attr]
    assert archive.latest(notices, "2024-01") is None
    assert archive.revisions(tmp_path / "nowhere") == []


def test_a_revision_says_its_fingerprint_changes_files_and_summary(tmp_path: Path) -> None:
    notices = tmp_path / "notices"
    folder = _revision(notices, "2023-11", 2, {"input_fingerprint": "ab" * 32, "issued_at": "2023-12-05T08:00:00+00:00",
                                                "changes": ["一", "二", "三", "四"]})
    [rev] = archive.revisions(notices)
    assert rev.fingerprint == "ab" * 32 and rev.issued_on == date(2023, 12, 5) and rev.error is None
    assert rev.files() == {"html": folder / "notice.html"}  # only what is there
    assert rev.change_summary() == "一；二；三 等4处变化"
    assert rev.notice() is None  # a record without the notice's content
    _revision(notices, "2023-10", 1, {"changes": []})
    assert archive.latest(notices, "2023-10").change_summary() == "首次印发"  # type: ignore[union-attr]


def test_an_issued_notice_reads_back_as_it_was_issued(tmp_path: Path) -> None:
    build_notice_warehouse(tmp_path / "warehouse.duckdb")
    home = DataHome(tmp_path)
    with Reader(home) as reader:
        data = load_notice_data(reader, NOV, "all")
        result = issue_data(home, data)
    rev = archive.latest(home.notices, NOV)
    assert rev is not None and (rev.revision, rev.folder, rev.fingerprint) == (1, result.directory, result.fingerprint)
    assert rev.files() == result.files
    again = rev.notice()
    assert again is not None
    assert (again.sections, again.summary, again.interceptions) == (data.sections, data.summary, data.interceptions)
    assert (again.month, again.district_code, again.scheme_version) == (NOV, data.district_code, data.scheme_version)


def test_a_damaged_record_is_listed_and_stops_the_next_issue(tmp_path: Path) -> None:
    build_notice_warehouse(tmp_path / "warehouse.duckdb")
    home = DataHome(tmp_path)
    damaged = _revision(home.notices, "2023-11", 1, raw="{not json")
    [rev] = archive.revisions(home.notices)
    assert rev.error is not None and rev.change_summary().startswith("issued.json 无法读取（")
    with Reader(home) as reader, pytest.raises(UserError, match="cannot be read") as caught:
        issue_notices(home, reader, NOV)
    assert str(damaged / "issued.json") in str(caught.value)
    assert [p.name for p in (home.notices / "2023-11").iterdir()] == ["rev-1"]  # nothing issued after it


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fanzha.cli", "notice", *args], env=fanzha_env(home),
                          capture_output=True, text=True, timeout=120)


def test_cli_lists_the_months_revisions(tmp_path: Path) -> None:
    build_notice_warehouse(tmp_path / "warehouse.duckdb")
    home = DataHome(tmp_path)
    empty = _cli(tmp_path, "--month", "2023-11", "--list")
    assert (empty.returncode, empty.stdout.strip()) == (0, f"2023-11: no notice issued yet ({home.notices / '2023-11'})")
    assert _cli(tmp_path, "--month", "2023-11").returncode == 0
    con = duckdb.connect(str(home.warehouse))
    con.execute("update marts.ranking_unit_monthly set rank = 4, total_score = 60.00 where unit_name = '郝桥镇'")
    con.close()
    assert _cli(tmp_path, "--month", "2023-11").returncode == 0
    listed = _cli(tmp_path, "--month", "2023-11", "--list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    heads = [line for line in lines if line.startswith("2023-11 rev-")]
    assert [h.split(":")[0] for h in heads] == ["2023-11 rev-2", "2023-11 rev-1"]
    second = lines[1:lines.index(heads[1])]
    assert f"  {home.notices / '2023-11' / 'rev-2' / 'notice.xlsx'}" in second
    assert "  - 乡镇郝桥镇：第2名 80.00分（表扬） → 第4名 60.00分（表扬）" in second
    assert sorted(p.name for p in (home.notices / "2023-11").iterdir()) == ["rev-1", "rev-2"]  # listing issues nothing


def test_cli_list_names_a_damaged_record_and_fails(tmp_path: Path) -> None:
    _revision(tmp_path / "notices", "2023-11", 1, raw="[]")
    listed = _cli(tmp_path, "--month", "2023-11", "--list")
    assert listed.returncode == 1
    assert "issued.json cannot be read (not a JSON object)" in listed.stdout and "Traceback" not in listed.stderr
