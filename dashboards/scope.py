"""The signed-in grant of this browser session, and refusing what it may not see.

The sign-in page puts a `fanzha.access.grants.Grant` in `st.session_state["fanzha_grant"]`; every read of the
warehouse goes through `dashboards.data.read`, which asks `current_grant()` first. No grant, or not a Grant of
a known role: the page stops with a request to sign in (default deny).
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from fanzha.access.grants import ROLES, Grant
from fanzha.access.scope import AccessDenied

GRANT_KEY = "fanzha_grant"


def grant_or_none() -> Grant | None:
    """The session's grant when there is a valid one (for code that decides what to show, never to read)."""
    grant = st.session_state.get(GRANT_KEY)
    return grant if isinstance(grant, Grant) and grant.role in ROLES else None


def current_grant() -> Grant:
    """The signed-in user's grant; stops the page with a request to sign in when there is none."""
    grant = grant_or_none()
    if grant is None:
        st.warning("请先登录后查看。")
        st.stop()
    return grant


def refuse(exc: AccessDenied) -> NoReturn:
    """Stop the page: this grant may not read what it asked for."""
    st.error(f"本账号无权查看此内容：{exc}")
    st.stop()
