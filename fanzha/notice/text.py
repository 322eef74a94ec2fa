"""Chinese wording and number formats shared by every renderer (万元 with two decimals, rates in %,
同比, Chinese dates), and the paragraphs generated from the data."""

from __future__ import annotations

from fanzha.core.fmt import date_label, month_label, pct
from fanzha.core.fmt import wan_figure as wan  # notice tables print the 万元 figure without the unit
from fanzha.notice.model import IndicatorScore, Interception, NoticeData, RankingRow, RankingSection

__all__ = ["date_label", "month_label", "pct", "wan"]

ISSUER = "区委政法委"


def yoy(change: float | None) -> str:
    """同比 wording: −0.869 → '同比下降86.9%'; None → '同比无可比数据' (last year was 0)."""
    if change is None:
        return "同比无可比数据"
    if abs(change) < 0.0005:
        return "同比持平"
    return f"同比{'上升' if change > 0 else '下降'}{abs(change) * 100:.1f}%"


def title(data: NoticeData) -> str:
    return f"{data.district_name}防范电信网络诈骗工作月度考核排名通报（{month_label(data.month)}）"


UNASSESSED = "本月无可考核事项"


def rank_label(row: RankingRow) -> str:
    """'3', '3（并列）' for a tie, '—' for a unit not ranked this month."""
    if row.rank is None:
        return "—"
    return f"{row.rank}（并列）" if row.is_tied else str(row.rank)


def flag_label(row: RankingRow) -> str:
    if not row.is_assessed:
        return UNASSESSED
    return "表扬" if row.is_commended else ("批评" if row.is_criticised else "")


def indicator_value(item: IndicatorScore) -> str:
    if item.value is None:
        return "—"
    if item.value_format == "rate":
        return pct(item.value)
    if item.value_format == "count":
        return f"{item.value:.0f}"
    return f"{item.value:,.2f}"


def assessed_label(row: RankingRow, every: bool = False) -> str:
    """The indicators assessed on the unit's own data, with value and points; with `every` (townships,
    whose columns show the values) just their names, or '全部N项' when none is missing."""
    if not row.assessed:
        return "无"
    if every and row.not_assessed:
        return "、".join(i.label for i in row.assessed)
    if every:
        return f"全部{len(row.assessed)}项"
    if not row.is_assessed:  # not ranked: its partial points would read like a score
        return "；".join(f"{i.label} {indicator_value(i)}" for i in row.assessed)
    return "；".join(f"{i.label} {indicator_value(i)}（{i.points:.2f}分）" for i in row.assessed)


def not_assessed_label(row: RankingRow) -> str:
    return "、".join(i.label for i in row.not_assessed) or "无"


def rank_change_label(row: RankingRow) -> str:
    if row.rank_change is None:
        return "—"
    if row.rank_change == 0:
        return "持平"
    return f"↑{row.rank_change}" if row.rank_change > 0 else f"↓{-row.rank_change}"


def score_change_label(row: RankingRow) -> str:
    return "—" if row.score_change is None else f"{row.score_change:+.2f}"


def interval_label(row: RankingRow) -> str:
    if row.rank_p05 is None or row.rank_p95 is None:
        return "—"
    return str(row.rank_p05) if row.rank_p05 == row.rank_p95 else f"{row.rank_p05}–{row.rank_p95}"


def summary_paragraph(data: NoticeData) -> str:
    s = data.summary

    def count(key: str) -> str:
        return "—" if s.get(key) is None else f"{int(s[key])}"

    return (
        f"{month_label(data.month)}，全区共接收预警线索{count('leads')}条，其中资金预警线索{count('fund_leads')}条"
        f"（{yoy(s.get('fund_leads_yoy'))}），资金预警线索见面劝阻率{pct(s.get('face_to_face_rate'))}、"
        f"“4+1”四方参与率{pct(s.get('four_party_rate'))}，止付拦截资金{wan(s.get('intercepted_amount'))}万元；"
        f"全区发生电信网络诈骗案件{count('cases')}起（{yoy(s.get('cases_yoy'))}），"
        f"造成损失{wan(s.get('loss_amount'))}万元（{yoy(s.get('loss_amount_yoy'))}），"
        f"“预后被骗”{count('post_warning_victims')}人。"
    )


def method_paragraph(data: NoticeData) -> str:
    threshold = "半数" if data.evidence_threshold is None else pct(data.evidence_threshold, 0)
    return (
        f"依据《防范电信网络诈骗工作月考核办法》（评分方案版本 {data.scheme_version}），乡镇与成员单位分别排名。"
        "乡镇过程指标（见面劝阻、四方参与、60分钟内首次劝阻、三清、回访、宣传培训活动）占60分，"
        "结果指标（每万人发案数、每万人损失、预后被骗、止付资金占比）占40分；成员单位按本系统职责考核"
        "（本单位职工预警处置或全区预警处置、培训和警示教育、止付冻结、断网断卡、宣传覆盖、职工被骗等），"
        "过程60分、结果40分，各单位的考核指标及得分见排名表。"
        "只有以本单位当月数据为依据的指标计分，缺少本单位数据的指标不计分、不扣分，得分按计分指标折算为百分制；"
        f"本单位数据支撑的权重不足{threshold}的单位列为“{UNASSESSED}”，不参与排名，不予表扬或批评。"
        "表扬和批评各三个名次（参与排名的单位不足六个时为其半数），得分相同的单位并列同一名次。"
        "“排名区间”为按发案等数量的随机波动和指标权重±25%模拟1000次所得的第5至第95百分位名次，"
        "区间相互重叠的单位，其名次差异可能出于偶然，不宜简单比较。"
    )


def _names(rows: tuple[RankingRow, ...]) -> str:
    return "、".join(f"{r.unit_name}（第{r.rank}名，{r.total_score:.2f}分）" for r in rows)


def _boundary_tie(rows: tuple[RankingRow, ...], places: int, rank: int | None, side: str) -> str:
    """'…并列…' when a tie at the boundary brings more units than places into the list."""
    if len(rows) <= places or rank is None:
        return ""
    tied = [r.unit_name for r in rows if r.rank == rank]
    return (f"因{'、'.join(tied)}得分相同、并列第{rank}名，正处于{side}名次（{places}个）的边界，"
            f"并列单位不以排列先后区分，本次{side}{len(rows)}个单位。")


def commendation_sentence(section: RankingSection) -> str:
    if not section.commended:
        return ""
    places = section.honour_places
    text = f"对排名前列的{section.label}{_names(section.commended)}予以通报表扬。"
    text += _boundary_tie(section.commended, places, max(r.rank or 0 for r in section.commended), "表扬")
    unsure = [f"{r.unit_name}（{interval_label(r)}）" for r in section.commended
              if r.rank_p95 is not None and r.rank_p95 > places]
    if unsure:
        text += f"其中{'、'.join(unsure)}的排名区间延伸至前{places}名以外，名次优势可能部分出于偶然。"
    return text


def criticism_sentence(section: RankingSection) -> str:
    if not section.criticised:
        return ""
    places = section.honour_places
    text = f"对排名靠后的{section.label}{_names(section.criticised)}予以通报批评，限期整改。"
    text += _boundary_tie(section.criticised, places, min(r.rank or 0 for r in section.criticised), "批评")
    cutoff = len(section.ranked) - places
    unsure = [f"{r.unit_name}（{interval_label(r)}）" for r in section.criticised
              if r.rank_p05 is not None and r.rank_p05 <= cutoff]
    if unsure:
        text += (f"其中{'、'.join(unsure)}的排名区间延伸至后{places}名以外，名次差异可能出于偶然，"
                 "请结合各项指标研判。")
    return text


def unassessed_sentence(section: RankingSection, threshold: float | None) -> str:
    """The units not ranked this month, and why; also says so when nobody could be ranked or honoured."""
    limit = "半数" if threshold is None else pct(threshold, 0)
    parts = []
    if section.unassessed:
        names = "、".join(f"{r.unit_name}（{pct(r.evidence_share, 0)}）" for r in section.unassessed)
        parts.append(f"{names}本月由本单位数据支撑的考核权重不足{limit}，列为“{UNASSESSED}”，"
                     "不参与排名，不予表扬或批评。")
    if not section.ranked:
        parts.append(f"本月没有可排名的{section.label}。")
    elif not section.commended and not section.criticised:
        parts.append(f"本月参与排名的{section.label}仅{len(section.ranked)}个，不予表扬或批评。")
    return "".join(parts)


def section_sentences(section: RankingSection, threshold: float | None) -> tuple[str, ...]:
    """The paragraphs under a ranking table, in order; empty ones left out."""
    return tuple(s for s in (commendation_sentence(section), criticism_sentence(section),
                             unassessed_sentence(section, threshold)) if s)


def row_class(row: RankingRow) -> str:
    """'commended', 'criticised', 'unassessed' or '' (the renderers shade rows by it)."""
    if not row.is_assessed:
        return "unassessed"
    return "commended" if row.is_commended else ("criticised" if row.is_criticised else "")


def _interception_clause(item: Interception) -> str:
    place = "".join(p for p in (item.township_name, item.village_name) if p) or "辖区"
    who = item.name_masked or "群众"
    return f"{date_label(item.stopped_on)}成功劝阻{place}{who}，止付资金{wan(item.amount)}万元"


def interceptions_paragraph(data: NoticeData, highlighted: int = 3) -> str:
    """The month's largest interceptions in words (the full list follows as a table)."""
    if not data.interceptions:
        return "本月无止付拦截记录。"
    clauses = "；".join(_interception_clause(i) for i in data.interceptions[:highlighted])
    return f"本月全区止付拦截资金{wan(data.summary.get('intercepted_amount'))}万元，金额较大的有：{clauses}。"
