"""The audit trail: `$FANZHA_HOME/access/audit.sqlite` (SQLite, WAL, mode 0600), outside the warehouse file, so
publishes never touch it. Records are only ever appended (triggers refuse UPDATE and DELETE).

Each record is chained to the one before it: `hash = SHA-256(JSON [prev_hash, seq, at, user, action, detail])`,
with `prev_hash` of record 1 = 64 zeros. `audit.head` beside the database holds the last record's seq and hash,
so cutting records off the end is detected too. `verify()` walks the chain and names the first broken record.

Details never hold raw personal data: only known, short values go in (page, filters, dataset, row counts,
month, format), and any string with a run of 11 or more digits (an ID or phone number typed into a URL) is
replaced by "[已屏蔽]" before it is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fanzha.core.paths import DataHome

ACTIONS: tuple[str, ...] = (
    "signin_ok", "signin_fail", "signin_locked", "signout", "page_view", "download", "notice_export",
    # account administration from the CLI
    "user_add", "user_disable", "user_enable", "user_password", "user_link",
)
GENESIS = "0" * 64
REDACTED = "[已屏蔽]"
MAX_TEXT = 200
_DIGITS = re.compile(r"\d{11,}")

SCHEMA = """
create table if not exists audit (
    seq integer primary key,
    at text not null,          -- UTC, ISO 8601
    user text not null,
    action text not null,
    detail text not null,      -- canonical JSON
    prev_hash text not null,
    hash text not null
);
create trigger if not exists audit_no_update before update on audit
begin select raise(abort, 'the audit trail is append-only'); end;
create trigger if not exists audit_no_delete before delete on audit
begin select raise(abort, 'the audit trail is append-only'); end;
"""


@dataclass(frozen=True)
class Record:
    seq: int
    at: datetime
    user: str
    action: str
    detail: dict[str, object]


@dataclass(frozen=True)
class Verdict:
    ok: bool
    records: int
    broken_seq: int | None = None
    message: str = ""


def audit_path(home: DataHome) -> Path:
    return home.root / "access" / "audit.sqlite"


def _head_path(path: Path) -> Path:
    return path.with_name("audit.head")


def clean(value: object) -> object:
    """A detail value safe to keep: plain JSON types, short strings, no long digit runs."""
    if isinstance(value, Mapping):
        return {str(k)[:MAX_TEXT]: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [clean(v) for v in (sorted(value, key=str) if isinstance(value, set | frozenset) else value)]
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    return REDACTED if _DIGITS.search(text) else text[:MAX_TEXT]


def _canonical(detail: object) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(prev_hash: str, seq: int, at: str, user: str, action: str, detail_text: str) -> str:
    payload = json.dumps([prev_hash, seq, at, user, action, detail_text], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@contextmanager
def _connect(path: Path, *, create: bool) -> Iterator[sqlite3.Connection]:
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        con.execute("pragma busy_timeout = 30000")
        if create:
            con.execute("pragma journal_mode = wal")
            con.execute("pragma synchronous = full")
            con.executescript(SCHEMA)
        yield con
    finally:
        con.close()


def _readable(con: sqlite3.Connection) -> bool:
    """The table exists (a reader may open the file between its creation and its schema)."""
    return con.execute("select 1 from sqlite_master where type = 'table' and name = 'audit'").fetchone() is not None


def _write_head(path: Path, seq: int, hash_: str) -> None:
    head = _head_path(path)
    tmp = head.with_suffix(".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"seq": seq, "hash": hash_}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, head)


def append(home: DataHome, user: str, action: str, detail: dict[str, object],
           *, now: datetime | None = None) -> None:
    """Append one record, chained to the last one."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    path = audit_path(home)
    at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    user_text = str(clean(user or "(anonymous)"))
    detail_text = _canonical(clean(detail))
    with _connect(path, create=True) as con:
        con.execute("begin immediate")
        try:
            last = con.execute("select seq, hash from audit order by seq desc limit 1").fetchone()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            digest = chain_hash(prev, seq, at, user_text, action, detail_text)
            con.execute("insert into audit (seq, at, user, action, detail, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?)",
                        [seq, at, user_text, action, detail_text, prev, digest])
            _write_head(path, seq, digest)  # under the write lock: heads are written in chain order
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise


def records(home: DataHome, *, since: datetime | None = None, user: str | None = None,
            actions: tuple[str, ...] = (), limit: int | None = None) -> list[Record]:
    """Records in order, optionally from `since` on, for one user, of some actions; `limit` keeps the newest."""
    path = audit_path(home)
    if not path.exists():
        return []
    sql, params = "select seq, at, user, action, detail from audit where 1 = 1", []
    if since is not None:
        sql += " and at >= ?"
        params.append(since.astimezone(UTC).isoformat(timespec="microseconds"))
    if user is not None:
        sql += " and user = ?"
        params.append(user)
    if actions:
        sql += f" and action in ({', '.join('?' for _ in actions)})"
        params.extend(actions)
    sql += " order by seq desc"
    if limit is not None:
        sql += " limit ?"
        params.append(limit)
    with _connect(path, create=False) as con:
        rows = con.execute(sql, params).fetchall() if _readable(con) else []
    return [Record(seq, datetime.fromisoformat(at), who, action, json.loads(detail))
            for seq, at, who, action, detail in reversed(rows)]


def users(home: DataHome) -> list[str]:
    """Every user name in the trail."""
    path = audit_path(home)
    if not path.exists():
        return []
    with _connect(path, create=False) as con:
        if not _readable(con):
            return []
        return [u for (u,) in con.execute("select distinct user from audit order by user").fetchall()]


def verify(home: DataHome) -> Verdict:
    """Walk the chain; the first record that is missing, edited or out of chain breaks it."""
    path = audit_path(home)
    head_file = _head_path(path)
    if not path.exists():
        if head_file.exists():
            return Verdict(False, 0, 1, "the audit database is missing but audit.head records appended entries")
        return Verdict(True, 0, message="no audit records yet")
    with _connect(path, create=False) as con:
        rows = con.execute("select seq, at, user, action, detail, prev_hash, hash from audit order by seq").fetchall() \
            if _readable(con) else []
    expected_seq, prev = 1, GENESIS
    for seq, at, user, action, detail, prev_hash, digest in rows:
        if seq != expected_seq:
            return Verdict(False, len(rows), expected_seq,
                           f"record {expected_seq} is missing (the records jump from {expected_seq - 1} to {seq})")
        if prev_hash != prev:
            return Verdict(False, len(rows), seq, f"record {seq} does not follow record {seq - 1}: "
                                                  "a record before it was removed or edited")
        if chain_hash(prev_hash, seq, at, user, action, detail) != digest:
            return Verdict(False, len(rows), seq, f"record {seq} ({at}, {user}, {action}) was edited: "
                                                  "its hash does not match its content")
        expected_seq, prev = seq + 1, digest
    last = expected_seq - 1
    if head_file.exists():
        head = json.loads(head_file.read_text(encoding="utf-8"))
        if int(head["seq"]) > last:
            return Verdict(False, len(rows), last + 1,
                           f"record {last + 1} is missing: records {last + 1}-{head['seq']} were cut off the end")
        if int(head["seq"]) >= 1 and rows[int(head["seq"]) - 1][6] != head["hash"]:
            return Verdict(False, len(rows), int(head["seq"]),
                           f"record {head['seq']} does not match the hash in audit.head")
    elif rows:
        return Verdict(False, len(rows), 1, "audit.head is missing: cannot tell whether records were cut off")
    return Verdict(True, len(rows), message=f"{len(rows)} records, chain intact")
