"""The pages of the app and which filters each one uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from fanzha.access.grants import Grant

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
    PageSpec("views/cases.py", "案件分析", "cases", ":material/folder_open:", show_kind=False, show_township=True),
    PageSpec("views/quality.py", "数据质量", "quality", ":material/verified:", show_kind=False, show_township=False),
)


# -- sign-in (auth branch): the 审计日志 page, for committee users only. The scope branch's pages_for (policy per
# role) replaces the minimal one below; keep AUDIT_PAGE committee-only there.
AUDIT_PAGE = PageSpec("views/audit.py", "审计日志", "audit", ":material/policy:", show_kind=False, show_township=False)


def pages_for(grant: Grant) -> list[PageSpec]:
    """The pages `grant` may open (minimal: every page for every role, 审计日志 only for committee)."""
    return [*PAGES, *([AUDIT_PAGE] if grant.role == "committee" else [])]


def all_pages() -> list[PageSpec]:
    """Every page of the app (registered, hidden and never run, while nobody is signed in)."""
    return [*PAGES, AUDIT_PAGE]


def empty_page() -> st.Page:
    return st.Page(str(HERE / "views/empty.py"), title="尚无数据", url_path="empty", icon=":material/info:", default=True)
