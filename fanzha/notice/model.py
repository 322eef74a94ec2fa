"""What a notice says, as plain data: loaded once, rendered to every format, frozen when issued."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

KIND_LABELS = {"township": "乡镇", "member_unit": "成员单位"}
KINDS = tuple(KIND_LABELS)
DEFAULT_DISTRICT = "130506"  # 南和区


@dataclass(frozen=True)
class RankingRow:
    rank: int
    unit_code: str
    unit_name: str
    total_score: float
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


@dataclass(frozen=True)
class RankingSection:
    kind: str
    rows: tuple[RankingRow, ...]

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

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
