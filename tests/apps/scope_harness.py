"""TEST ONLY — never served by `fanzha dashboard`: the dashboard with a grant taken from the URL (`?as=NAME`).

Until the auth branch's sign-in page is merged, the browser tests reach the real dashboard (dashboards/app.py,
unchanged) through this entry point: it puts the named test user's grant (from $FANZHA_TEST_DIR/test-users.json,
written by the test) into the session the way the sign-in page will, then runs the app. It refuses to run
unless FANZHA_TEST_HARNESS=1 (set only by tests), and it lives in tests/, which `fanzha dashboard` never serves.
Audit records go to $FANZHA_TEST_DIR/test-audit.jsonl.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from pathlib import Path

import streamlit as st

REPO = Path(__file__).resolve().parent.parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from dashboards import audit_hooks  # noqa: E402
from dashboards.scope import GRANT_KEY  # noqa: E402
from fanzha.access.grants import Grant  # noqa: E402

if os.environ.get("FANZHA_TEST_HARNESS") != "1" or not os.environ.get("FANZHA_TEST_DIR"):
    st.error("tests/apps/scope_harness.py is for tests only (FANZHA_TEST_HARNESS=1, FANZHA_TEST_DIR).")
    st.stop()
TEST_DIR = Path(os.environ["FANZHA_TEST_DIR"])


def _record(action: str, **detail: object) -> None:
    grant = st.session_state.get(GRANT_KEY)
    line = {"user": getattr(grant, "user", None), "action": action, "detail": detail}
    path = TEST_DIR / "test-audit.jsonl"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")


audit_hooks.record = _record  # type: ignore[assignment]
wanted = st.query_params.get("as")
if GRANT_KEY not in st.session_state and wanted:
    users = json.loads((TEST_DIR / "test-users.json").read_text(encoding="utf-8"))
    if wanted in users:
        st.session_state[GRANT_KEY] = Grant(wanted, users[wanted]["role"], tuple(users[wanted]["units"]))
runpy.run_path(str(REPO / "dashboards" / "app.py"), run_name="__main__")
