"""The audit trail: appended and chained by SHA-256; a record edited or removed by hand is found by
`fanzha audit --verify` (exit 1 naming it); personal numbers never reach it."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fanzha.access import audit
from fanzha.core.paths import DataHome
from tests.fixtures.cli import run_fanzha

T = datetime(2024, 6, 3, 9, 30, tzinfo=UTC)


def fill(root: Path) -> DataHome:
    home = DataHome(root)
    audit.append(home, "jiasong", "signin_ok", {"method": "local"}, now=T)
    audit.append(home, "jiasong", "page_view", {"page": "unit", "filters": {"month": "2024-06"}}, now=T)
    audit.append(home, "heyang", "download", {"dataset": "fct_alerts", "rows": 12}, now=T)
    audit.append(home, "jiasong", "signout", {"reason": "user"}, now=T)
    return home


def hand_edit(home: DataHome, sql: str) -> None:
    """What a person with the file could do: drop the guard triggers and change the table."""
    con = sqlite3.connect(audit.audit_path(home))
    con.executescript("drop trigger audit_no_update; drop trigger audit_no_delete;" + sql)
    con.close()


def test_records_are_chained_by_sha256(tmp_path: Path) -> None:
    home = fill(tmp_path)
    con = sqlite3.connect(audit.audit_path(home))
    rows = con.execute("select seq, at, user, action, detail, prev_hash, hash from audit order by seq").fetchall()
    con.close()
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    assert rows[0][5] == "0" * 64
    first = json.dumps(["0" * 64, 1, "2024-06-03T09:30:00.000000+00:00", "jiasong", "signin_ok", '{"method":"local"}'],
                       ensure_ascii=False, separators=(",", ":"))
    assert rows[0][6] == hashlib.sha256(first.encode()).hexdigest()
    assert [r[5] for r in rows[1:]] == [r[6] for r in rows[:-1]]  # each points at the one before
    assert audit.verify(home).ok


def test_the_store_refuses_updates_and_deletes(tmp_path: Path) -> None:
    home = fill(tmp_path)
    con = sqlite3.connect(audit.audit_path(home))
    for sql in ("update audit set user = 'x' where seq = 2", "delete from audit where seq = 2"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(sql)
    con.close()


def test_verify_passes_on_an_intact_trail(tmp_path: Path) -> None:
    fill(tmp_path)
    result = run_fanzha(tmp_path, "audit", "--verify")
    assert result.stdout.strip() == "audit trail intact: 4 records, chain intact"


@pytest.mark.parametrize(("sql", "named"), [
    ("update audit set detail = '{\"dataset\":\"fct_alerts\",\"rows\":1}' where seq = 3", "record 3"),
    ("update audit set user = 'someone' where seq = 2", "record 2"),
    ("delete from audit where seq = 2", "record 2 is missing"),
    ("delete from audit where seq = 1", "record 1 is missing"),
    ("delete from audit where seq = 4", "record 4 is missing"),  # cut off the end: audit.head still says 4
])
def test_an_edited_or_removed_record_breaks_the_chain(tmp_path: Path, sql: str, named: str) -> None:
    home = fill(tmp_path)
    hand_edit(home, sql)
    result = run_fanzha(tmp_path, "audit", "--verify", check=False)
    assert result.returncode == 1
    assert f"audit trail broken at {named.split(' is')[0]}" in result.stderr
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_an_edit_that_recomputes_its_own_hash_still_breaks_the_next_link(tmp_path: Path) -> None:
    home = fill(tmp_path)
    con = sqlite3.connect(audit.audit_path(home))
    seq, at, user, action, _detail, prev = con.execute(
        "select seq, at, user, action, detail, prev_hash from audit where seq = 2").fetchone()
    con.close()
    forged = '{"page":"overview"}'
    digest = audit.chain_hash(prev, seq, at, user, action, forged)
    hand_edit(home, f"update audit set detail = '{forged}', hash = '{digest}' where seq = 2")
    verdict = audit.verify(home)
    assert (verdict.ok, verdict.broken_seq) == (False, 3)
    assert "record 3 does not follow record 2" in verdict.message


def test_long_digit_runs_are_masked_and_details_stay_small(tmp_path: Path) -> None:
    home = DataHome(tmp_path)
    audit.append(home, "jiasong", "page_view",
                 {"page": "unit", "filters": {"unit": "130506101", "q": "13800138000", "id": "13050619900101123X"}})
    (record,) = audit.records(home)
    assert record.detail == {"page": "unit", "filters": {"unit": "130506101", "q": "[已屏蔽]", "id": "[已屏蔽]"}}
    raw = audit.audit_path(home).read_bytes()
    assert b"13800138000" not in raw and b"13050619900101123X" not in raw


def test_unknown_actions_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.append(DataHome(tmp_path), "x", "delete_everything", {})


def test_reading_the_trail_by_user_date_and_format(tmp_path: Path) -> None:
    home = fill(tmp_path)
    audit.append(home, "jiasong", "page_view", {"page": "leads"}, now=datetime(2024, 6, 5, 8, 0, tzinfo=UTC))
    lines = run_fanzha(tmp_path, "audit", "--user", "jiasong", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 4, 5]
    assert json.loads(lines[1])["detail"] == {"page": "unit", "filters": {"month": "2024-06"}}
    csv_out = run_fanzha(tmp_path, "audit", "--since", "2024-06-04", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "seq,time,user,action,detail"
    assert len(csv_out) == 2 and csv_out[1].startswith("5,") and ",jiasong,page_view," in csv_out[1]
    table = run_fanzha(tmp_path, "audit").stdout.splitlines()
    assert table[0].split() == ["seq", "time", "user", "action", "detail"]
    assert len(table) == 6
    bad = run_fanzha(tmp_path, "audit", "--since", "June", check=False)
    assert bad.returncode == 2 and "--since must be a date YYYY-MM-DD, got 'June'" in bad.stderr
    bad = run_fanzha(tmp_path, "audit", "--format", "xml", check=False)
    assert bad.returncode == 2 and "allowed: table, csv, jsonl" in bad.stderr


def test_an_empty_trail_verifies(tmp_path: Path) -> None:
    assert run_fanzha(tmp_path, "audit", "--verify").stdout.strip() == "audit trail intact: no audit records yet"
