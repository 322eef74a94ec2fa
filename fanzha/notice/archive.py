"""The archive of issued notices, read in one place: `$FANZHA_HOME/notices/YYYY-MM/rev-N/`.

An issued revision is a folder `rev-N` holding `issued.json` (the record: the ranking as issued, the district
summary, the notable interceptions, scheme version, input fingerprint, what changed against revision N − 1)
and the frozen `notice.xlsx`, `notice.docx`, `notice.html` (written by fanzha.notice.issue, never rewritten).
A folder without issued.json is no revision (issuing renames a complete folder into place, so only a hand-made
or damaged folder lacks it); an issued.json that cannot be read is listed with the error, so the archive shows
it and issuing refuses to continue the month after it.

Readers: `fanzha notice` (issuing continues the month's latest revision; `--list` shows the revisions), the
dashboard's 排名通报 page (the list and the frozen files) and fanzha.access.notices (a revision re-rendered
from its record within a user's scope).

    for rev in revisions(home.notices):             # every month, newest first, newest revision first
        rev.month, rev.revision, rev.fingerprint, rev.changes, rev.file("xlsx"), rev.notice()
    latest(home.notices, date(2023, 11, 1))         # the month's latest revision, or None
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fanzha.notice.model import IndicatorScore, Interception, NoticeData, RankingRow, RankingSection
from fanzha.notice.render import FORMATS

ISSUED_FILE = "issued.json"
_REVISION = re.compile(r"^rev-(\d+)$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_ROW_FIELDS = tuple(f.name for f in dataclasses.fields(RankingRow) if f.name != "indicators")


def month_key(month: date | str) -> str:
    """date(2023, 11, 1) or '2023-11' → '2023-11', the name of the month's folder."""
    return month.strftime("%Y-%m") if isinstance(month, date) else str(month)[:7]


def revision_folder(notices: Path, month: date | str, revision: int) -> Path:
    return notices / month_key(month) / f"rev-{revision}"


@dataclass(frozen=True)
class IssuedRevision:
    """One issued revision of a month: its folder and its record (issued.json as a dict)."""

    month: str  # 'YYYY-MM'
    revision: int
    folder: Path
    record: dict[str, Any]  # {"error": why} when issued.json cannot be read

    @property
    def error(self) -> str | None:
        """Why issued.json cannot be read (the parser's words), or None."""
        return self.record.get("error") if set(self.record) == {"error"} else None

    @property
    def fingerprint(self) -> str | None:
        """The SHA-256 of the notice's content as issued (fanzha.notice.issue.fingerprint)."""
        value = self.record.get("input_fingerprint")
        return str(value) if value else None

    @property
    def changes(self) -> list[str]:
        """What changed against the previous revision, one line each (empty for revision 1)."""
        changes = self.record.get("changes")
        if isinstance(changes, list):
            return [str(c) for c in changes]
        return [str(changes)] if changes else []

    @property
    def issued_on(self) -> date | None:
        return issued_on(self.record)

    def file(self, fmt: str) -> Path:
        """The frozen notice in format `fmt` (it may be missing in a damaged folder)."""
        return self.folder / f"notice.{fmt}"

    def files(self) -> dict[str, Path]:
        """The frozen notices present, by format."""
        return {fmt: self.file(fmt) for fmt in FORMATS if self.file(fmt).is_file()}

    def notice(self) -> NoticeData | None:
        """The notice as issued, rebuilt from the record (None when the record lacks what a notice needs)."""
        return notice_from_record(self.record)

    def change_summary(self) -> str:
        """What this revision changed, short, in Chinese: 首次印发, the first three changes, …"""
        if self.error:
            return f"{ISSUED_FILE} 无法读取（{self.error}）"
        changes = self.changes
        if not changes:
            return "首次印发" if self.revision == 1 else "无变化"
        shown = "；".join(changes[:3])
        return shown + (f" 等{len(changes)}处变化" if len(changes) > 3 else "")


def _read_record(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {"error": str(exc)}
    return loaded if isinstance(loaded, dict) else {"error": "not a JSON object"}


def _month_revisions(month_dir: Path) -> list[IssuedRevision]:
    found = []
    for folder in month_dir.iterdir():
        match = _REVISION.match(folder.name)
        if match and folder.is_dir() and (folder / ISSUED_FILE).is_file():
            found.append(IssuedRevision(month_dir.name, int(match.group(1)), folder,
                                        _read_record(folder / ISSUED_FILE)))
    return found


def revisions(notices: Path, month: date | str | None = None) -> list[IssuedRevision]:
    """The issued revisions under `notices` (of `month` only, when given): newest month first, newest revision
    first within a month."""
    if month is not None:
        months = [notices / month_key(month)]
    else:
        months = [p for p in notices.iterdir() if _MONTH.match(p.name)] if notices.is_dir() else []
    found = [rev for month_dir in months if month_dir.is_dir() for rev in _month_revisions(month_dir)]
    return sorted(found, key=lambda r: (r.month, r.revision), reverse=True)


def latest(notices: Path, month: date | str) -> IssuedRevision | None:
    """The month's latest issued revision, or None before the first."""
    found = revisions(notices, month)
    return found[0] if found else None


def issued_on(record: dict[str, Any]) -> date | None:
    """The issue date of a revision (issued_at in its record), for the notice's issue line."""
    try:
        return datetime.fromisoformat(str(record["issued_at"])).date()
    except (KeyError, ValueError):
        return None


def _ranking_row(entry: dict[str, Any]) -> RankingRow:
    """A ranking row of the record (its indicators as IndicatorScore, as the renderers read them)."""
    values = {name: entry[name] for name in _ROW_FIELDS}
    indicators = tuple(IndicatorScore(**i) for i in entry.get("indicators") or ())
    return RankingRow(**values, indicators=indicators)


def notice_from_record(record: dict[str, Any]) -> NoticeData | None:
    """The notice as issued, from its record: the ranking sections, summary and interceptions as frozen.
    None when the record lacks what a notice needs (an older or damaged record)."""
    try:
        places = record.get("honour_places") or {}
        sections = tuple(
            RankingSection(kind=kind, rows=tuple(_ranking_row(e) for e in record["ranking"] if e["kind"] == kind),
                           **({"honour_places": int(places[kind])} if kind in places else {}))
            for kind in record["kinds"])
        interceptions = tuple(
            Interception(stopped_on=date.fromisoformat(i["stopped_on"]), township_name=i["township_name"],
                         village_name=i["village_name"], name_masked=i["name_masked"], method=i["method"],
                         amount=float(i["amount"]))
            for i in record.get("interceptions", []))
        return NoticeData(district_code=str(record["district_code"]), district_name=str(record["district_name"]),
                          month=date.fromisoformat(f"{record['month']}-01"),
                          scheme_version=str(record["scheme_version"]), summary=dict(record["summary"]),
                          sections=sections, interceptions=interceptions)
    except (KeyError, TypeError, ValueError):
        return None
