"""The monthly notice in the dashboard: rendered by the same renderer the CLI uses, and the issued archive.

Both go through the read layer: the ranking and the district summary are public, the notable interceptions
(villages, masked names) are limited to the signed-in grant's scope (fanzha.access.notices). Downloads are
audited by the page (`notice_export`).

Issued notices live in `$FANZHA_HOME/notices/YYYY-MM/rev-<n>/` (notice.xlsx, notice.docx, notice.html,
issued.json), see docs/contracts.md §5.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import streamlit as st

from dashboards import data
from dashboards.scope import current_grant
from fanzha.access.grants import Grant
from fanzha.access.notices import issued_on, load_scoped_notice, scoped_issued
from fanzha.access.scope import ScopedReader

FORMATS: dict[str, tuple[str, str]] = {
    "xlsx": ("下载 Excel（XLSX）", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": ("下载 Word（DOCX）", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "html": ("下载网页（HTML）", "text/html"),
}
_REV = re.compile(r"^rev-(\d+)$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


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


@dataclass(frozen=True)
class IssuedRevision:
    month: str  # 'YYYY-MM'
    revision: int
    folder: Path
    record: dict[str, Any]

    def file(self, fmt: str) -> Path:
        return self.folder / f"notice.{fmt}"


def issued_revisions(notices_dir: Path) -> list[IssuedRevision]:
    """Every issued revision under notices/, newest month first, newest revision first."""
    found: list[IssuedRevision] = []
    if not notices_dir.is_dir():
        return found
    for month_dir in notices_dir.iterdir():
        if not (month_dir.is_dir() and _MONTH.match(month_dir.name)):
            continue
        for rev_dir in month_dir.iterdir():
            match = _REV.match(rev_dir.name)
            if not (rev_dir.is_dir() and match):
                continue
            record: dict[str, Any] = {}
            issued = rev_dir / "issued.json"
            if issued.is_file():
                try:
                    loaded = json.loads(issued.read_text(encoding="utf-8"))
                    record = loaded if isinstance(loaded, dict) else {"content": loaded}
                except (OSError, json.JSONDecodeError) as exc:
                    record = {"error": f"issued.json 无法读取：{exc}"}
            found.append(IssuedRevision(month_dir.name, int(match.group(1)), rev_dir, record))
    found.sort(key=lambda r: (r.month, r.revision), reverse=True)
    return found


def describe_changes(record: dict[str, Any]) -> str:
    """A short Chinese summary of what a revision changed, from its issued.json."""
    changes = record.get("changes")
    if changes in (None, [], {}, ""):
        return "首次印发" if record.get("revision", 1) in (1, "1") else "无变化"
    if isinstance(changes, str):
        return changes
    if isinstance(changes, list):
        shown = "；".join(str(c) for c in changes[:3])
        return shown + (f" 等{len(changes)}处变化" if len(changes) > 3 else "")
    if isinstance(changes, dict):
        return "；".join(f"{k}: {v}" for k, v in list(changes.items())[:5])
    return str(changes)


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
    on = issued_on(revision.record)

    def rendered() -> bytes:
        from fanzha.notice.render import render

        return render(notice, fmt, issued_on=on, revision=revision.revision)

    return rendered
