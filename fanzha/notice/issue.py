"""Issuing a notice freezes it: $FANZHA_HOME/notices/YYYY-MM/rev-N/ holds notice.xlsx, notice.docx,
notice.html and issued.json (the ranking as issued, scheme version, input fingerprint, what changed).

* The input fingerprint is a SHA-256 of the notice's content (every number it prints), so
  re-issuing unchanged data gives the same fingerprint and no new revision.
* Changed data gives revision N+1 with a list of what changed against revision N.
* A published revision is never rewritten: it is written to a temporary directory, renamed into
  place in one step, and its files are made read-only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome
from fanzha.notice.archive import ISSUED_FILE, latest, revision_folder
from fanzha.notice.data import Queryable, load_notice_data
from fanzha.notice.model import DEFAULT_DISTRICT, KIND_LABELS, NoticeData
from fanzha.notice.render import FORMATS, render
from fanzha.notice.text import pct, wan


@dataclass(frozen=True)
class IssueResult:
    month: date
    revision: int
    status: str  # "issued" (first revision), "revised" (new revision), "unchanged" (nothing new)
    directory: Path
    fingerprint: str
    files: dict[str, Path]
    changes: list[str] = field(default_factory=list)

    def message(self) -> str:
        where = f"{self.directory}"
        if self.status == "unchanged":
            return (f"{self.month:%Y-%m}: data unchanged since revision {self.revision} "
                    f"(fingerprint {self.fingerprint[:12]}); no new revision issued: {where}")
        head = f"{self.month:%Y-%m}: issued revision {self.revision}: {where}"
        if self.status == "revised":
            head += f"\nchanges against revision {self.revision - 1}:\n" + "\n".join(f"  - {c}" for c in self.changes)
        return head


def fingerprint(data: NoticeData) -> str:
    canonical = json.dumps(data.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _count(value: float | None) -> str:
    return "—" if value is None else str(int(value))


SUMMARY_CHANGES: dict[str, tuple[str, Callable[[float | None], str]]] = {
    "leads": ("预警线索", _count), "fund_leads": ("资金预警线索", _count), "cases": ("发案", _count),
    "loss_amount": ("损失(万元)", wan), "intercepted_amount": ("止付(万元)", wan),
    "face_to_face_rate": ("见面劝阻率", pct),
}


def _ranking_key(entry: dict[str, Any]) -> tuple[str, str]:
    return entry["kind"], entry["unit_code"]


def _ranking_entries(issued: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {_ranking_key(e): e for e in issued["ranking"]}


def _standing(entry: dict[str, Any]) -> str:
    """'第3名 85.00分', '本月无可考核事项' (not ranked; older revisions have no is_assessed and were all ranked)."""
    if not entry.get("is_assessed", True) or entry.get("rank") is None:
        return "本月无可考核事项"
    flag = "（表扬）" if entry.get("is_commended") else ("（批评）" if entry.get("is_criticised") else "")
    return f"第{entry['rank']}名 {entry['total_score']:.2f}分{flag}"


def describe_changes(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What changed between two issued.json records, in Chinese, one line per change."""
    changes: list[str] = []
    if previous["scheme_version"] != current["scheme_version"]:
        changes.append(f"评分方案版本 {previous['scheme_version']} → {current['scheme_version']}")
    for key, (label, show) in SUMMARY_CHANGES.items():
        before, after = previous["summary"].get(key), current["summary"].get(key)
        if before != after:
            changes.append(f"全区{label} {show(before)} → {show(after)}")
    old, new = _ranking_entries(previous), _ranking_entries(current)
    for key in sorted(old.keys() | new.keys()):
        kind_label = KIND_LABELS.get(key[0], key[0])
        if key not in new:
            changes.append(f"{kind_label}{old[key]['unit_name']}：不再参与排名")
        elif key not in old:
            changes.append(f"{kind_label}{new[key]['unit_name']}：新增（{_standing(new[key])}）")
        elif _standing(old[key]) != _standing(new[key]):
            changes.append(f"{kind_label}{new[key]['unit_name']}：{_standing(old[key])} → {_standing(new[key])}")
    if previous.get("interceptions") != current.get("interceptions"):
        changes.append("典型止付案例列表有变化")
    if not changes:
        changes.append("排名与主要数字未变，其他内容有更新")
    return changes


def issued_record(data: NoticeData, revision: int, source: str, previous: dict[str, Any] | None) -> dict[str, Any]:
    content = data.to_dict()
    record: dict[str, Any] = {
        "month": data.month.strftime("%Y-%m"),
        "district_code": data.district_code,
        "district_name": data.district_name,
        "kinds": list(data.kinds),
        "revision": revision,
        "issued_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scheme_version": data.scheme_version,
        "input_fingerprint": fingerprint(data),
        "warehouse": source,
        "summary": content["summary"],
        "ranking": [{"kind": s["kind"], **row} for s in content["sections"] for row in s["rows"]],
        "honour_places": {s.kind: s.honour_places for s in data.sections},
        "interceptions": content["interceptions"],
    }
    record["changes"] = describe_changes(previous, record) if previous else []
    return record


def _freeze(directory: Path) -> None:
    for p in directory.iterdir():
        p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def issue_data(home: DataHome, data: NoticeData, source: str = "") -> IssueResult:
    """Freeze `data` as the month's next revision, unless the latest revision has the same fingerprint."""
    last = latest(home.notices, data.month)
    if last is not None and last.error:
        raise UserError(f"{last.folder / ISSUED_FILE} cannot be read ({last.error}): the month's next revision is "
                        "numbered and compared after it, so restore that file (from a backup) before issuing again")
    digest = fingerprint(data)
    if last is not None and last.fingerprint == digest:
        return IssueResult(data.month, last.revision, "unchanged", last.folder, digest,
                           {f: last.file(f) for f in FORMATS})
    revision = last.revision + 1 if last is not None else 1
    record = issued_record(data, revision, source, last.record if last is not None else None)
    issued_on = datetime.fromisoformat(record["issued_at"]).date()
    final = revision_folder(home.notices, data.month, revision)
    staging = final.parent / f".rev-{revision}.tmp-{os.getpid()}"
    staging.mkdir(parents=True)
    try:
        for fmt in FORMATS:
            (staging / f"notice.{fmt}").write_bytes(render(data, fmt, issued_on=issued_on, revision=revision))
        (staging / ISSUED_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        _freeze(staging)
        staging.rename(final)  # fails if rev-N appeared meanwhile: a published revision is never replaced
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return IssueResult(data.month, revision, "revised" if last is not None else "issued", final, digest,
                       {f: final / f"notice.{f}" for f in FORMATS}, record["changes"])


def kind_argument(kinds: str | Sequence[str]) -> str:
    """'all', 'township', 'member_unit' or a sequence of those → the kind load_notice_data takes."""
    if isinstance(kinds, str):
        return kinds
    chosen = set(kinds)
    unknown = chosen - set(KIND_LABELS)
    if unknown or not chosen:
        raise UserError(f"unknown or no unit kinds {sorted(unknown) or list(kinds)}: use township, member_unit")
    return "all" if chosen == set(KIND_LABELS) else chosen.pop()


def issue_notices(home: DataHome, reader: Queryable, month: date, kinds: str | Sequence[str] = "all",
                  formats: Sequence[str] = FORMATS, district_code: str = DEFAULT_DISTRICT) -> list[IssueResult]:
    """Issue (or confirm unchanged) the month's notice for `kinds` (one notice with a table per kind).
    Every revision holds all three formats; `formats` only names the files reported back.
    Raises NoDataForMonth for a month with nothing to rank."""
    data = load_notice_data(reader, month, kind_argument(kinds), district_code)
    fp = getattr(reader, "fingerprint", None)
    result = issue_data(home, data, source=fp() if callable(fp) else "")
    wanted = {f: p for f, p in result.files.items() if f in formats}
    return [IssueResult(result.month, result.revision, result.status, result.directory, result.fingerprint,
                        wanted, result.changes)]
