"""The ranking table's columns, defined once for every renderer: header, how to display a value,
and the raw value + number format the spreadsheet uses (so XLSX cells stay numbers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fanzha.notice import text
from fanzha.notice.model import RankingRow


@dataclass(frozen=True)
class Column:
    header: str
    fmt: str  # int | score | pct | wan | text | longtext (text the spreadsheet wraps)
    value: Callable[[RankingRow], object]  # raw value (yuan for wan, 0–1 for pct)
    width: float  # spreadsheet column width (characters)

    def display(self, row: RankingRow) -> str:
        v = self.value(row)
        if self.fmt in ("text", "longtext"):
            return "" if v is None else str(v)
        if v is None:
            return "—"
        if self.fmt == "pct":
            return text.pct(float(v))  # type: ignore[arg-type]
        if self.fmt == "wan":
            return text.wan(float(v))  # type: ignore[arg-type]
        if self.fmt == "score":
            return f"{float(v):.2f}"  # type: ignore[arg-type]
        return str(int(v))  # type: ignore[call-overload]


def _ranked(value: Callable[[RankingRow], object]) -> Callable[[RankingRow], object]:
    """A ranking figure, blank ('—') for a unit not ranked this month."""
    return lambda r: value(r) if r.is_assessed else None


HEAD: tuple[Column, ...] = (
    Column("名次", "text", text.rank_label, 8),
    Column("单位", "text", lambda r: r.unit_name, 18),
)
RANKING: tuple[Column, ...] = (
    Column("总分", "score", _ranked(lambda r: r.total_score), 8),
    Column("名次变化", "text", text.rank_change_label, 9),
    Column("得分变化", "text", text.score_change_label, 9),
    Column("排名区间", "text", text.interval_label, 9),
    Column("本单位数据占比", "pct", lambda r: r.evidence_share, 9),
)
FLAG = Column("通报", "text", text.flag_label, 10)

TOWNSHIP_COLUMNS: tuple[Column, ...] = (
    *HEAD, *RANKING,
    Column("资金预警线索(条)", "int", lambda r: r.fund_leads, 10),
    Column("见面劝阻率", "pct", lambda r: r.face_to_face_rate, 10),
    Column("四方参与率", "pct", lambda r: r.four_party_rate, 10),
    Column("60分钟内首次劝阻率", "pct", lambda r: r.first_contact_within_60min_rate, 11),
    Column("三清完成率", "pct", lambda r: r.three_clear_rate, 10),
    Column("发案(起)", "int", lambda r: r.cases, 8),
    Column("损失(万元)", "wan", lambda r: r.loss_amount, 10),
    Column("止付(万元)", "wan", lambda r: r.intercepted_amount, 10),
    Column("预后被骗(人)", "int", lambda r: r.post_warning_victims, 10),
    Column("以本单位数据考核的指标", "longtext", lambda r: text.assessed_label(r, every=True), 14),
    Column("无本单位数据、不计分的指标", "longtext", text.not_assessed_label, 22),
    FLAG,
)

# Member units are judged on their own system's duties: each row lists its own indicators.
MEMBER_UNIT_COLUMNS: tuple[Column, ...] = (
    *HEAD,
    Column("系统", "text", lambda r: r.unit_system, 8),
    *RANKING,
    Column("以本单位数据考核的指标（数值，折算得分）", "longtext", text.assessed_label, 46),
    Column("无本单位数据、不计分的指标", "longtext", text.not_assessed_label, 30),
    FLAG,
)


def columns_for(kind: str) -> tuple[Column, ...]:
    return MEMBER_UNIT_COLUMNS if kind == "member_unit" else TOWNSHIP_COLUMNS

INTERCEPTION_HEADERS = ("日期", "乡镇", "村（社区）", "当事人", "方式", "止付金额(万元)")
