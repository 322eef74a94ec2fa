"""Chinese wording and number formats shared by every renderer (万元 with two decimals, rates in %,
同比, Chinese dates), and the paragraphs generated from the data."""

from __future__ import annotations

from fanzha.core.fmt import date_label, month_label, pct
from fanzha.core.fmt import wan_figure as wan  # notice tables print the 万元 figure without the unit
from fanzha.notice.model import Interception, NoticeData, RankingRow, RankingSection

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
    return (
        f"依据《防范电信网络诈骗工作月考核办法》（评分方案版本 {data.scheme_version}），"
        "过程指标（见面劝阻、四方参与、60分钟内首次劝阻、三清、回访、宣传培训活动）占60分，"
        "结果指标（每万人发案数、每万人损失、预后被骗、止付资金占比）占40分，乡镇与成员单位分别排名。"
        "“排名区间”为按发案等数量的随机波动和指标权重±25%模拟1000次所得的第5至第95百分位名次，"
        "区间相互重叠的单位，其名次差异可能出于偶然，不宜简单比较。"
    )


def _names(rows: tuple[RankingRow, ...]) -> str:
    return "、".join(f"{r.unit_name}（第{r.rank}名，{r.total_score:.2f}分）" for r in rows)


def commendation_sentence(section: RankingSection) -> str:
    if not section.commended:
        return ""
    text = f"对排名前列的{section.label}{_names(section.commended)}予以通报表扬。"
    unsure = [f"{r.unit_name}（{interval_label(r)}）" for r in section.commended
              if r.rank_p95 is not None and r.rank_p95 > 3]
    if unsure:
        text += f"其中{'、'.join(unsure)}的排名区间延伸至前三名以外，名次优势可能部分出于偶然。"
    return text


def criticism_sentence(section: RankingSection) -> str:
    if not section.criticised:
        return ""
    text = f"对排名靠后的{section.label}{_names(section.criticised)}予以通报批评，限期整改。"
    cutoff = len(section.rows) - 3
    unsure = [f"{r.unit_name}（{interval_label(r)}）" for r in section.criticised
              if r.rank_p05 is not None and r.rank_p05 <= cutoff]
    if unsure:
        text += f"其中{'、'.join(unsure)}的排名区间延伸至后三名以外，名次差异可能出于偶然，请结合各项指标研判。"
    return text


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
