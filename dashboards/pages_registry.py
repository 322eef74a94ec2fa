"""The pages of the app, which filters each one uses and which roles may open it.

`pages_for(grant)` is the navigation of a signed-in user: only the pages its role may open (数据质量 for
analysts and the committee, 单位详情 not for police stations). A page's roles agree with the datasets it
reads (tests/test_access_registry.py checks it), so a page left in the navigation would still be refused
by the read layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboards.scope import current_grant
from fanzha.access.grants import ROLES, Grant

HERE = Path(__file__).resolve().parent
EVERYONE = ROLES
ANALYSTS = ("committee", "analyst")


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to dashboards/
    title: str
    url_path: str
    icon: str
    show_kind: bool
    show_township: bool
    roles: tuple[str, ...]  # who may open it: no default, every page says

    def page(self) -> st.Page:
        return st.Page(
            str(HERE / self.file), title=self.title, url_path=self.url_path, icon=self.icon,
            default=self.url_path == PAGES[0].url_path,
        )

    def allows(self, grant: Grant) -> bool:
        return isinstance(grant, Grant) and grant.role in self.roles

    def allowed(self) -> bool:
        """Whether the signed-in user may open this page (stops the run with a sign-in request when no one is)."""
        return self.allows(current_grant())


PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/overview.py", "总览", "overview", ":material/dashboard:", show_kind=False, show_township=True,
             roles=EVERYONE),
    PageSpec("views/ranking.py", "排名通报", "ranking", ":material/leaderboard:", show_kind=True, show_township=False,
             roles=EVERYONE),
    PageSpec("views/unit.py", "单位详情", "unit", ":material/apartment:", show_kind=True, show_township=True,
             roles=(*ANALYSTS, "unit")),
    PageSpec("views/leads.py", "预警处置", "leads", ":material/notifications_active:", show_kind=False,
             show_township=True, roles=EVERYONE),
    PageSpec("views/watch.py", "待办与超时", "watch", ":material/pending_actions:", show_kind=False,
             show_township=True, roles=EVERYONE),
    PageSpec("views/cases.py", "案件分析", "cases", ":material/folder_open:", show_kind=False, show_township=True,
             roles=EVERYONE),
    PageSpec("views/quality.py", "数据质量", "quality", ":material/verified:", show_kind=False, show_township=False,
             roles=ANALYSTS),
)


# 审计日志 reads the audit trail, not the warehouse: committee users only.
AUDIT_PAGE = PageSpec("views/audit.py", "审计日志", "audit", ":material/policy:", show_kind=False, show_township=False,
                      roles=("committee",))
ALL_PAGES: tuple[PageSpec, ...] = (*PAGES, AUDIT_PAGE)


def specs_for(grant: Grant) -> list[PageSpec]:
    """The page specs `grant` may open, in navigation order."""
    return [spec for spec in ALL_PAGES if spec.allows(grant)]


def pages_for(grant: Grant) -> list[st.Page]:
    """The navigation of a signed-in user: the pages its role may open."""
    return [spec.page() for spec in specs_for(grant)]


def all_pages() -> list[PageSpec]:
    """Every page of the app (registered, hidden and never run, while nobody is signed in)."""
    return list(ALL_PAGES)


def spec_for(url_path: str) -> PageSpec:
    """The spec of the page at `url_path` (the first page when none matches)."""
    return next((s for s in ALL_PAGES if s.url_path == url_path), PAGES[0])


def empty_page() -> st.Page:
    return st.Page(str(HERE / "views/empty.py"), title="尚无数据", url_path="empty", icon=":material/info:", default=True)
