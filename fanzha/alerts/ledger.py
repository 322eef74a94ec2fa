"""The alert ledger: `$FANZHA_HOME/alerts.sqlite`, one row per alert × route × URL target.

It lives beside the published warehouse (publishes replace warehouse.duckdb, never this file). A row is
`sent` once delivered, else `failed` with the last error and the number of attempts; failed rows are
what the next run sends again. Holds alert keys, masked item lines and masked URLs only: no personal data,
no URL tokens.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FILE_NAME = "alerts.sqlite"

SCHEMA = """
create table if not exists deliveries (
    alert_key text not null,
    route text not null,
    target text not null,
    target_label text not null,
    kind text not null,
    unit text,
    title text not null,
    status text not null check (status in ('sent', 'failed')),
    attempts integer not null,
    first_attempt_at text not null,
    last_attempt_at text not null,
    sent_at text,
    last_error text,
    primary key (alert_key, route, target)
)
"""


@dataclass(frozen=True)
class HistoryRow:
    last_attempt_at: str
    status: str
    attempts: int
    route: str
    target_label: str
    kind: str
    unit: str | None
    title: str
    last_error: str | None
    alert_key: str


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Ledger:
    def __init__(self, home_root: Path) -> None:
        self.path = home_root / FILE_NAME

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30)
        try:
            con.execute(SCHEMA)
            yield con
            con.commit()
        finally:
            con.close()

    def sent(self) -> set[tuple[str, str, str]]:
        """(alert key, route, target) of every delivered alert."""
        if not self.path.exists():
            return set()
        with self._connect() as con:
            rows = con.execute("select alert_key, route, target from deliveries where status = 'sent'").fetchall()
        return {(k, r, t) for k, r, t in rows}

    def record(self, *, keys: tuple[str, ...], route: str, target: str, target_label: str, kind: str,
               unit: str | None, title: str, ok: bool, error: str | None) -> None:
        """Record one delivery attempt of a message (all its alert keys), in one transaction."""
        stamp = now()
        with self._connect() as con:
            con.executemany(
                """
                insert into deliveries (alert_key, route, target, target_label, kind, unit, title, status,
                                        attempts, first_attempt_at, last_attempt_at, sent_at, last_error)
                values (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
                on conflict (alert_key, route, target) do update set
                    status = excluded.status, attempts = deliveries.attempts + 1,
                    last_attempt_at = excluded.last_attempt_at, sent_at = excluded.sent_at,
                    last_error = excluded.last_error, title = excluded.title,
                    target_label = excluded.target_label
                """,
                [(key, route, target, target_label, kind, unit, title, "sent" if ok else "failed", stamp, stamp,
                  stamp if ok else None, None if ok else error) for key in keys],
            )

    def history(self, limit: int) -> list[HistoryRow]:
        if not self.path.exists():
            return []
        with self._connect() as con:
            rows = con.execute(
                "select last_attempt_at, status, attempts, route, target_label, kind, unit, title, last_error, "
                "alert_key from deliveries order by last_attempt_at desc, route, alert_key limit ?", (limit,),
            ).fetchall()
        return [HistoryRow(*row) for row in rows]
