"""Local accounts in the data home: `$FANZHA_HOME/access/users.sqlite` (mode 0600, never in the warehouse file).

Passwords are kept as argon2id hashes (argon2-cffi's defaults); a plain password is never stored or logged.
Five failed sign-ins in a row for a name lock it for 15 minutes. The failure count is kept per name,
for names that exist and names that do not (keyed by a SHA-256 of the name), so a lockout does not tell
an outsider which names are accounts. A successful sign-in, or a new password, clears the count.

The clock is injectable (`UserStore(path, clock=...)`) so lockout tests need no sleeping.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fanzha.access import units as unit_catalogue
from fanzha.access.grants import Grant
from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}")

Clock = Callable[[], datetime]

SCHEMA = """
create table if not exists users (
    name text primary key,
    role text not null,
    units text not null,                -- JSON list of unit codes
    password_hash text,                 -- argon2id; null for an account that signs in only through OIDC
    oidc_subject text unique,           -- the identity provider's `sub`, when linked
    disabled integer not null default 0,
    created_at text not null,
    updated_at text not null,
    last_signin_at text,
    last_seen_at text
);
create table if not exists lockouts (
    name_key text primary key,          -- sha256 of the name typed at sign-in (names that are not accounts too)
    failures integer not null,
    locked_until text
);
"""


def utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _name_key(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def store_path(home: DataHome) -> Path:
    return home.root / "access" / "users.sqlite"


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise UserError(f"account name {name!r} is not allowed: use 2-64 letters, digits and . _ - @ "
                        "(starting with a letter or digit)", 2)
    return name


def check_password(password: str) -> str:
    if not password:
        raise UserError("the password is empty: give it on standard input", 2)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password is too short ({len(password)} characters): "
                        f"use at least {MIN_PASSWORD_LENGTH}", 2)
    return password


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    units: tuple[str, ...]
    disabled: bool
    has_password: bool
    oidc_linked: bool
    created_at: datetime
    last_signin_at: datetime | None
    locked_until: datetime | None


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt.

    outcome: ok | bad (wrong name or password) | locked (refused: the name is locked) |
    locked_now (this failure locked it) | disabled (right password, account disabled).
    """

    outcome: str
    grant: Grant | None = None
    locked_until: datetime | None = None
    failures: int = 0
    known: bool = False  # the name is an account (for the audit record only; never shown)


class UserStore:
    def __init__(self, path: Path, clock: Clock = utc_now) -> None:
        self.path = path
        self.clock = clock
        self._hasher = None
        self._dummy: str | None = None

    @classmethod
    def for_home(cls, home: DataHome, clock: Clock = utc_now) -> UserStore:
        return cls(store_path(home), clock)

    # -- storage -------------------------------------------------------------------------------------
    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path.parent, 0o700)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(self.path, 0o600)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self.path.exists():
            self._create()
        con = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            con.execute("pragma journal_mode = wal")
            con.execute("pragma busy_timeout = 15000")
            con.executescript(SCHEMA)
            yield con
        finally:
            con.close()

    @property
    def hasher(self):  # noqa: ANN201 - argon2 is imported lazily (no heavy import at CLI registration)
        if self._hasher is None:
            from argon2 import PasswordHasher

            self._hasher = PasswordHasher()
        return self._hasher

    def _hash(self, password: str) -> str:
        return str(self.hasher.hash(check_password(password)))

    def _verify(self, stored: str | None, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        if stored is None:  # unknown name or OIDC-only account: spend the same time, then fail
            if self._dummy is None:
                self._dummy = str(self.hasher.hash("not-a-password-of-anyone"))
            stored, password = self._dummy, password + "\0"
        try:
            return bool(self.hasher.verify(stored, password))
        except (VerificationError, InvalidHashError):
            return False

    # -- administration (the CLI) --------------------------------------------------------------------
    def add(self, name: str, role: str, units: tuple[str, ...], *, password: str | None = None,
            oidc_subject: str | None = None) -> None:
        check_name(name)
        unit_catalogue.check_role(role)
        if password is None and not oidc_subject:
            raise UserError("give a password with --password-stdin (or --oidc-subject for single sign-on only)", 2)
        hashed = self._hash(password) if password is not None else None
        now = _iso(self.clock())
        with self._connect() as con:
            if con.execute("select 1 from users where name = ?", [name]).fetchone():
                raise UserError(f"account {name!r} already exists (use set-password, disable or link)", 2)
            self._check_subject_free(con, oidc_subject, name)
            con.execute("insert into users (name, role, units, password_hash, oidc_subject, created_at, updated_at) "
                        "values (?, ?, ?, ?, ?, ?, ?)", [name, role, json.dumps(list(units)), hashed,
                                                         oidc_subject or None, now, now])

    def _check_subject_free(self, con: sqlite3.Connection, subject: str | None, name: str) -> None:
        if subject:
            other = con.execute("select name from users where oidc_subject = ? and name <> ?",
                                [subject, name]).fetchone()
            if other:
                raise UserError(f"OIDC subject {subject!r} is already linked to account {other[0]!r}", 2)

    def _update(self, name: str, sql: str, params: list[object]) -> None:
        with self._connect() as con:
            cur = con.execute(f"update users set {sql}, updated_at = ? where name = ?",
                              [*params, _iso(self.clock()), name])
            if cur.rowcount == 0:
                raise UserError(f"no account named {name!r} (see `fanzha users list`)", 2)

    def set_password(self, name: str, password: str) -> None:
        self._update(name, "password_hash = ?", [self._hash(password)])
        self._clear_failures(name)

    def disable(self, name: str) -> None:
        self._update(name, "disabled = 1", [])

    def enable(self, name: str) -> None:
        self._update(name, "disabled = 0", [])
        self._clear_failures(name)

    def link(self, name: str, subject: str) -> None:
        if not subject.strip():
            raise UserError("--oidc-subject is empty", 2)
        with self._connect() as con:
            self._check_subject_free(con, subject, name)
        self._update(name, "oidc_subject = ?", [subject])

    def accounts(self) -> list[Account]:
        with self._connect() as con:
            rows = con.execute(
                "select name, role, units, disabled, password_hash is not null, oidc_subject is not null, created_at, "
                "last_signin_at from users order by name").fetchall()
            locks = dict(con.execute("select name_key, locked_until from lockouts").fetchall())
        now = self.clock()
        out = []
        for name, role, units, disabled, has_pw, linked, created, last in rows:
            until = _parse(locks.get(_name_key(name)))
            out.append(Account(name, role, tuple(json.loads(units)), bool(disabled), bool(has_pw), bool(linked),
                               _parse(created) or now, _parse(last), until if until and until > now else None))
        return out

    # -- sign-in (the dashboard) ---------------------------------------------------------------------
    def _clear_failures(self, name: str) -> None:
        with self._connect() as con:
            con.execute("delete from lockouts where name_key = ?", [_name_key(name)])

    def authenticate(self, name: str, password: str) -> SignIn:
        """Check a name and password; count failures and lock after MAX_FAILURES in a row."""
        now, key = self.clock(), _name_key(name)
        with self._connect() as con:
            lock = con.execute("select failures, locked_until from lockouts where name_key = ?", [key]).fetchone()
            row = con.execute("select role, units, password_hash, disabled from users where name = ?",
                              [name]).fetchone()
            if lock and lock[1]:
                until = _parse(lock[1])
                if until and now < until:
                    return SignIn("locked", locked_until=until, failures=lock[0], known=row is not None)
                con.execute("delete from lockouts where name_key = ?", [key])  # the lock has run out
        if self._verify(row[2] if row else None, password):
            role, units, stored, disabled = row  # type: ignore[misc]
            if disabled:
                return SignIn("disabled", known=True)
            self._clear_failures(name)
            with self._connect() as con:
                if self.hasher.check_needs_rehash(stored):  # the hash parameters were raised since
                    con.execute("update users set password_hash = ? where name = ?",
                                [str(self.hasher.hash(password)), name])
                con.execute("update users set last_signin_at = ?, last_seen_at = ? where name = ?",
                            [_iso(now), _iso(now), name])
            return SignIn("ok", grant=Grant(name, role, tuple(json.loads(units))), known=True)
        with self._connect() as con:
            (failures,) = con.execute(
                "insert into lockouts (name_key, failures) values (?, 1) "
                "on conflict (name_key) do update set failures = failures + 1 returning failures", [key]).fetchone()
            if failures >= MAX_FAILURES:
                until = now + LOCK_DURATION
                con.execute("update lockouts set locked_until = ? where name_key = ?", [_iso(until), key])
                return SignIn("locked_now", locked_until=until, failures=failures, known=row is not None)
        return SignIn("bad", failures=failures, known=row is not None)

    def grant_for(self, name: str) -> Grant | None:
        """The grant of an active account (None when it is missing or disabled)."""
        with self._connect() as con:
            row = con.execute("select role, units from users where name = ? and disabled = 0", [name]).fetchone()
        return Grant(name, row[0], tuple(json.loads(row[1]))) if row else None

    def grant_for_subject(self, subject: str) -> Grant | None:
        """The grant of the active account linked to an OIDC subject (None when none is)."""
        with self._connect() as con:
            row = con.execute("select name, role, units from users where oidc_subject = ? and disabled = 0",
                              [subject]).fetchone()
        return Grant(row[0], row[1], tuple(json.loads(row[2]))) if row else None

    def mark_seen(self, name: str, *, signed_in: bool = False) -> None:
        now = _iso(self.clock())
        with self._connect() as con:
            if signed_in:
                con.execute("update users set last_signin_at = ?, last_seen_at = ? where name = ?", [now, now, name])
            else:
                con.execute("update users set last_seen_at = ? where name = ?", [now, name])

    def last_seen(self, name: str) -> datetime | None:
        with self._connect() as con:
            row = con.execute("select last_seen_at from users where name = ?", [name]).fetchone()
        return _parse(row[0]) if row else None
