"""Entry point: `streamlit run dashboards/app.py` (what `fanzha dashboard` serves).

Shows the pages of pages_registry.py when a published warehouse exists in FANZHA_HOME, else a page explaining how to
build one. The sidebar filters are drawn here, for the page about to run, and handed to it through
session state.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run` puts this folder, not the repository, on sys.path.
_REPO = str(Path(__file__).resolve().parent.parent)
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

from dashboards import data, filters  # noqa: E402
from dashboards.pages_registry import PAGES, empty_page  # noqa: E402

st.set_page_config(page_title="南和区反诈“4+1”预警劝阻看板", page_icon=":material/shield:", layout="wide")

if not data.available():
    st.navigation([empty_page()], position="hidden").run()
else:
    pages = [spec.page() for spec in PAGES]
    current = st.navigation(pages)
    spec = next((s for s in PAGES if s.url_path == current.url_path), PAGES[0])
    st.session_state["filters"] = filters.sidebar(show_kind=spec.show_kind, show_township=spec.show_township)
    st.sidebar.caption(data.version_caption())
    current.run()
