"""How long a dashboard sign-in lasts: it ends after 8 hours without any interaction."""

from __future__ import annotations

from datetime import datetime, timedelta

IDLE_LIMIT = timedelta(hours=8)


def expired(last_seen: datetime | None, now: datetime, limit: timedelta = IDLE_LIMIT) -> bool:
    """True when the session was last used more than `limit` before `now` (a missing stamp is not expired)."""
    return last_seen is not None and now - last_seen > limit
