"""What a notice says, as plain data: loaded once, rendered to every format, frozen when issued."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

KIND_LABELS = {"township": "乡镇", "member_unit": "成员单位"}
KINDS = tuple(KIND_LABELS)
DEFAULT_DISTRICT = "130506"  # 南和区


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator of a unit's month: assessed on its own data (points) or not (no points)."""

    label: str
    value: float | None
    value_format: str  # rate | count | number
    points: float | None  # None: no own data, not scored


@dataclass(frozen=True)
class RankingRow:
    """A unit of the month's table: ranked (rank set) or 本月无可考核事项 (rank None, is_assessed False)."""

    rank: int | None
    unit_code: str
    unit_name: str
    total_score: float | None
    rank_prev_month: int | None
    rank_change: int | None
    score_change: float | None
    rank_p05: int | None
    rank_p95: int | None
    indistinguishable_from: str | None
    is_commended: bool
    is_criticised: bool
    fund_leads: int
    face_to_face_rate: float | None
    four_party_rate: float | None
    first_contact_within_60min_rate: float | None
    three_clear_rate: float | None
    cases: int
    loss_amount: float
    intercepted_amount: float
    post_warning_victims: int
    is_assessed: bool = True
    is_tied: bool = False
    unit_system: str | None = None
    evidence_share: float | None = None
    indicators: tuple[IndicatorScore, ...] = ()

    @property
    def assessed(self) -> tuple[IndicatorScore, ...]:
        return tuple(i for i in self.indicators if i.points is not None)

    @property
    def not_assessed(self) -> tuple[IndicatorScore, ...]:
        return tuple(i for i in self.indicators if i.points is None)


@dataclass(frozen=True)
class RankingSection:
    kind: str
    rows: tuple[RankingRow, ...]  # ranked units in rank order, then the units not ranked this month
    honour_places: int = 3  # ranks commended, and ranks from the bottom criticised

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def ranked(self) -> tuple[RankingRow, ...]:
        return tuple(r for r in self.rows if r.is_assessed)

    @property
    def unassessed(self) -> tuple[RankingRow, ...]:
        return tuple(r for r in self.rows if not r.is_assessed)

    @property
    def commended(self) -> tuple[RankingRow, ...]:
        return tuple(r for r in self.rows if r.is_commended)

    @property
    def criticised(self) -> tuple[RankingRow, ...]:
        return tuple(r for r in self.rows if r.is_criticised)


@dataclass(frozen=True)
class Interception:
    stopped_on: date
    township_name: str | None
    village_name: str | None
    name_masked: str | None
    method: str | None
    amount: float


@dataclass(frozen=True)
class NoticeData:
    district_code: str
    district_name: str
    month: date
    scheme_version: str
    summary: dict[str, float | None]
    sections: tuple[RankingSection, ...]
    interceptions: tuple[Interception, ...] = field(default_factory=tuple)
    evidence_threshold: float | None = None  # share of a unit's weight that must rest on its own data

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(s.kind for s in self.sections)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO strings); the basis of the input fingerprint and issued.json."""
        out = asdict(self)
        out["month"] = self.month.isoformat()
        for item in out["interceptions"]:
            item["stopped_on"] = item["stopped_on"].isoformat()
        return out
