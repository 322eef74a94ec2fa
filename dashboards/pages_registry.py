"""The pages of the app and which filters each one uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to dashboards/
    title: str
    url_path: str
    icon: str
    show_kind: bool
    show_township: bool

    def page(self) -> st.Page:
        return st.Page(
            str(HERE / self.file), title=self.title, url_path=self.url_path, icon=self.icon,
            default=self.url_path == PAGES[0].url_path,
        )


PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/overview.py", "总览", "overview", ":material/dashboard:", show_kind=False, show_township=True),
    PageSpec("views/ranking.py", "排名通报", "ranking", ":material/leaderboard:", show_kind=True, show_township=False),
    PageSpec("views/unit.py", "单位详情", "unit", ":material/apartment:", show_kind=True, show_township=True),
    PageSpec("views/leads.py", "预警处置", "leads", ":material/notifications_active:", show_kind=False, show_township=True),
    PageSpec("views/watch.py", "待办与超时", "watch", ":material/pending_actions:", show_kind=False, show_township=True),
    PageSpec("views/cases.py", "案件分析", "cases", ":material/folder_open:", show_kind=False, show_township=True),
    PageSpec("views/quality.py", "数据质量", "quality", ":material/verified:", show_kind=False, show_township=False),
)


def empty_page() -> st.Page:
    return st.Page(str(HERE / "views/empty.py"), title="尚无数据", url_path="empty", icon=":material/info:", default=True)
