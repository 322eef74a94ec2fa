"""Entry point: `streamlit run dashboards/app.py` (what `fanzha dashboard` serves).

Nobody sees anything of the warehouse before signing in (dashboards/auth.py). After sign-in: the pages the
user's role may open (`pages_registry.specs_for`), or a page explaining how to build a warehouse when none is
published. The sidebar filters are drawn here, for the page about to run, and handed to it through session
state; every page render is recorded in the audit trail with its URL filters.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run` puts this folder, not the repository, on sys.path.
_REPO = str(Path(__file__).resolve().parent.parent)
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

from dashboards import audit_hooks, auth, data, filters  # noqa: E402
from dashboards.pages_registry import AUDIT_PAGE, all_pages, empty_page, specs_for  # noqa: E402

st.set_page_config(page_title="南和区反诈“4+1”预警劝阻看板", page_icon=":material/shield:", layout="wide")

grant = auth.require(lambda: [spec.page() for spec in all_pages()])  # stops here until signed in

if not data.available():
    auth.account_sidebar(grant)
    audit_hooks.page_view("empty")
    st.navigation([empty_page()], position="hidden").run()
else:
    specs = specs_for(grant)
    current = st.navigation([spec.page() for spec in specs])
    spec = next((s for s in specs if s.url_path == current.url_path), specs[0])
    auth.account_sidebar(grant)
    if spec.url_path != AUDIT_PAGE.url_path:
        st.session_state["filters"] = filters.sidebar(show_kind=spec.show_kind, show_township=spec.show_township)
        st.sidebar.caption(data.version_caption())
    audit_hooks.page_view(spec.url_path)
    current.run()
