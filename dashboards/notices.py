"""The monthly notice in the dashboard: rendered by the same renderer the CLI uses, and the issued archive.

Both go through the read layer: the ranking and the district summary are public, the notable interceptions
(villages, masked names) are limited to the signed-in grant's scope (fanzha.access.notices). Downloads are
audited by the page (`notice_export`).

Issued notices live in `$FANZHA_HOME/notices/YYYY-MM/rev-<n>/` (notice.xlsx, notice.docx, notice.html,
issued.json), see docs/contracts.md §5; they are read through fanzha.notice.archive, as the CLI reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import streamlit as st

from dashboards import data
from dashboards.scope import current_grant
from fanzha.access.grants import Grant
from fanzha.access.notices import load_scoped_notice, scoped_issued
from fanzha.access.scope import ScopedReader
from fanzha.core.paths import data_home
from fanzha.notice.archive import IssuedRevision, revisions

FORMATS: dict[str, tuple[str, str]] = {
    "xlsx": ("下载 Excel（XLSX）", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": ("下载 Word（DOCX）", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "html": ("下载网页（HTML）", "text/html"),
}


SCOPES: dict[str, str] = {"all": "乡镇和成员单位（与印发版相同）", "township": "仅乡镇", "member_unit": "仅成员单位"}


@st.cache_data(show_spinner="正在生成通报……", max_entries=64)
def render_notice(root: str, fp: str, scope_key: str, _grant: Grant, month: date, kind: str, fmt: str,
                  district: str) -> bytes:
    """The notice of `month` for `kind` (all|township|member_unit) in format `fmt`, rendered by fanzha.notice
    exactly as the CLI does, with the detail `_grant` may see (cached per publish fingerprint and scope:
    `scope_key` is `_grant.cache_key()`, the grant itself is not hashed)."""
    del fp  # cache key only
    if scope_key != _grant.cache_key():
        raise ValueError("render_notice: scope_key must be the grant's cache_key()")
    from fanzha.notice.render import render

    notice = load_scoped_notice(ScopedReader(data.reader_for(root), _grant), month, kind, district)
    return render(notice, fmt)


def notice_bytes(month: date, kind: str, fmt: str, district: str) -> Callable[[], bytes]:
    """The signed-in user's notice as a callable for a download button (rendered when clicked, in the
    button's own thread: everything it needs is bound here, in the page run)."""
    grant, root, fp = current_grant(), data.home_root(), data.fingerprint()
    return lambda: render_notice(root, fp, grant.cache_key(), grant, month, kind, fmt, district)


def preview(month: date, kind: str, fmt: str, district: str) -> bytes:
    """The signed-in user's notice, rendered now (the preview)."""
    return notice_bytes(month, kind, fmt, district)()


def notice_file_name(month: date, kind: str, fmt: str) -> str:
    return f"反诈工作排名通报_{month.year:04d}-{month.month:02d}_{kind}.{fmt}"


def issued_time(record: dict[str, Any]) -> str:
    """'2024-07-01 09:30' from issued.json's ISO timestamp (shown as stored when it is not ISO)."""
    raw = record.get("issued_at")
    if not raw:
        return "—"
    try:
        return datetime.fromisoformat(str(raw)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(raw)


def issued() -> list[IssuedRevision]:
    """Every issued revision of the data home (fanzha.notice.archive): newest month first, newest revision first."""
    return revisions(data_home(data.home_root()).notices)


def issued_bytes(revision: IssuedRevision, fmt: str) -> Callable[[], bytes] | None:
    """An issued revision's file for the signed-in user, as a download callable: the frozen file for the
    committee and analysts; for a scoped user the same revision re-rendered from its issued.json with only the
    notable interceptions of its own townships. None when the revision cannot be given to this user (no file,
    or an issued.json without the notice's content)."""
    path = revision.file(fmt)
    own = data.scope()
    if own.everything:
        return path.read_bytes if path.is_file() else None
    notice = scoped_issued(revision.record, own, data.directory())
    if notice is None:
        return None

    def rendered() -> bytes:
        from fanzha.notice.render import render

        return render(notice, fmt, issued_on=revision.issued_on, revision=revision.revision)

    return rendered
