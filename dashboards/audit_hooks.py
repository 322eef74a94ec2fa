"""The dashboard's door to the audit trail (`fanzha.access.audit`): who did what, never raw personal data.

`record(action, **detail)` appends a record for the signed-in user of this session (read from
`st.session_state["fanzha_grant"]`); `page_view(page)` records a page with its URL filters, once per change
of page or filters within a session. A failed write stops the page: nothing is shown that is not recorded.
"""

from __future__ import annotations

import re

import streamlit as st

from fanzha.access import audit
from fanzha.core.paths import data_home

LAST_VIEW = "fanzha_last_page_view"
FILTER_KEY = re.compile(r"[a-z_]{1,24}")


def record_as(user: str, action: str, **detail: object) -> None:
    try:
        audit.append(data_home(), user, action, dict(detail))
    except Exception as exc:  # noqa: BLE001 - the audit is a precondition of showing anything
        st.error(f"审计日志无法写入（{type(exc).__name__}），为保证留痕，本页暂停显示。请联系系统管理员。")
        st.stop()


def record(action: str, **detail: object) -> None:
    """Append `action` with `detail` for the signed-in user of this session."""
    grant = st.session_state.get("fanzha_grant")
    record_as(grant.user if grant is not None else "(anonymous)", action, **detail)


def page_view(page: str) -> None:
    """Record a page view with the filters in the URL (values are codes; long digit runs are masked)."""
    filters = {k: st.query_params.get(k) for k in sorted(st.query_params.keys()) if FILTER_KEY.fullmatch(k)}
    key = (page, tuple(filters.items()))
    if st.session_state.get(LAST_VIEW) == key:
        return
    st.session_state[LAST_VIEW] = key
    record("page_view", page=page, filters=filters)
