"""The monthly notice in the dashboard: rendered by the same renderer the CLI uses, and the issued archive.

Issued notices live in `$FANZHA_HOME/notices/YYYY-MM/rev-<n>/` (notice.xlsx, notice.docx, notice.html,
issued.json), see docs/contracts.md §5.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from dashboards import data

FORMATS: dict[str, tuple[str, str]] = {
    "xlsx": ("下载 Excel（XLSX）", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": ("下载 Word（DOCX）", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "html": ("下载网页（HTML）", "text/html"),
}
_REV = re.compile(r"^rev-(\d+)$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


@st.cache_data(show_spinner="正在生成通报……", max_entries=64)
def render_notice(root: str, fp: str, month: date, kind: str, fmt: str) -> bytes:
    """The notice of `month` for unit kind `kind` in format `fmt`, from fanzha.notice (cached per publish)."""
    del fp  # cache key only
    from fanzha.notice.data import load_notice_data
    from fanzha.notice.render import render

    notice = load_notice_data(data._reader(root), month, kind)
    return render(notice, fmt)


def notice_file_name(month: date, kind: str, fmt: str) -> str:
    return f"反诈工作排名通报_{month.year:04d}-{month.month:02d}_{kind}.{fmt}"


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
        return f"{len(changes)}处变化"
    if isinstance(changes, dict):
        return "；".join(f"{k}: {v}" for k, v in list(changes.items())[:5])
    return str(changes)
