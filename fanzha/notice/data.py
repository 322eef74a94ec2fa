"""Load one month's notice from the published warehouse, through the read API (parameterised SQL)."""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from fanzha.core.errors import UserError
from fanzha.notice.model import (
    DEFAULT_DISTRICT,
    KINDS,
    IndicatorScore,
    Interception,
    NoticeData,
    RankingRow,
    RankingSection,
)

if TYPE_CHECKING:
    import pandas as pd

NOTABLE_INTERCEPTIONS = 10  # the largest interceptions of the month printed in the notice

SUMMARY_COLUMNS = (
    "leads", "fund_leads", "face_to_face_rate", "four_party_rate", "intercepted_amount", "cases",
    "loss_amount", "post_warning_victims", "leads_yoy", "fund_leads_yoy", "cases_yoy", "loss_amount_yoy",
    "intercepted_amount_yoy",
)

# Every unit scored that month: the ranked ones in rank order, then those with too little evidence
# (本月无可考核事项), most evidence first.
RANKING_SQL = """
select r.rank, a.unit_code, a.unit_name, a.unit_system, coalesce(r.total_score, a.total_score) as total_score,
       a.is_assessed, a.evidence_share,
       a.evidence_threshold, r.is_tied, r.honour_places, r.rank_prev_month, r.rank_change, r.score_change,
       r.rank_p05, r.rank_p95, r.indistinguishable_from, coalesce(r.is_commended, false) as is_commended,
       coalesce(r.is_criticised, false) as is_criticised, a.scheme_version,
       k.fund_leads, k.face_to_face_rate, k.four_party_rate, k.first_contact_within_60min_rate,
       k.three_clear_rate, k.cases, k.loss_amount, k.intercepted_amount, k.post_warning_victims
from assessment_unit_monthly as a
left join ranking_unit_monthly as r on r.unit_code = a.unit_code and r.month = a.month
left join kpi_unit_monthly as k on k.unit_code = a.unit_code and k.month = a.month
where a.district_code = ? and a.month = ? and a.unit_kind = ?
order by a.is_assessed desc, r.rank, a.evidence_share desc, a.unit_code
"""

# Each unit's indicators: assessed on its own data (points) or not, heaviest first.
INDICATORS_SQL = """
select unit_code, indicator_label, raw_value, value_format, points
from score_unit_monthly
where district_code = ? and month = ? and unit_kind = ?
order by unit_code, weight desc, indicator
"""

SUMMARY_SQL = f"select {', '.join(SUMMARY_COLUMNS)} from kpi_district_monthly where district_code = ? and month = ?"

INTERCEPTIONS_SQL = """
select cast(i.stopped_at as date) as stopped_on, t.unit_name as township_name, v.unit_name as village_name,
       i.name_masked, i.interception_method as method, i.amount
from fct_interceptions as i
left join dim_units as t on t.unit_code = i.township_code
left join dim_units as v on v.unit_code = i.village_code
where i.district_code = ? and i.month = ?
order by i.amount desc, i.stopped_at, i.interception_id
limit ?
"""

DISTRICT_SQL = "select unit_name from dim_units where unit_kind = 'district' and unit_code = ?"


class NoDataForMonth(UserError):
    """The month has nothing to rank: say so instead of ranking zeros (exit 1)."""

    def __init__(self, month: date, district_code: str) -> None:
        super().__init__(
            f"{month:%Y-%m}: no assessment data for district {district_code} in the warehouse "
            "(no leads, cases or activities that month) — no notice issued", exit_code=1)


class Queryable(Protocol):
    def query(self, sql: str, params: Any = None) -> pd.DataFrame: ...


def _clean(value: Any) -> Any:
    """pandas/numpy scalars → plain Python; NaN/NA → None."""
    if value is None:
        return None
    try:
        if value != value or (isinstance(value, float) and math.isnan(value)):
            return None
    except (TypeError, ValueError):  # pd.NA compares ambiguously
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _query(reader: Queryable, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Rows as dicts; a warehouse without the assessment marts is a clear error, not a traceback."""
    import duckdb

    try:
        return _records(reader.query(sql, params))
    except duckdb.CatalogException as exc:
        first = str(exc).splitlines()[0]
        raise UserError(f"the warehouse lacks a table the notice needs ({first}); rebuild it with "
                        "`fanzha run` or `fanzha build`", exit_code=1) from exc


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _indicators(records: list[dict[str, Any]]) -> dict[str, tuple[IndicatorScore, ...]]:
    """unit_code → its indicators, in the query's order."""
    out: dict[str, list[IndicatorScore]] = {}
    for rec in records:
        out.setdefault(str(rec["unit_code"]), []).append(IndicatorScore(
            label=str(rec["indicator_label"]), value=_float(rec["raw_value"]),
            value_format=str(rec["value_format"]), points=_float(rec["points"])))
    return {code: tuple(items) for code, items in out.items()}


def _ranking_row(rec: dict[str, Any], indicators: tuple[IndicatorScore, ...] = ()) -> RankingRow:
    return RankingRow(
        rank=_int(rec["rank"]), unit_code=str(rec["unit_code"]), unit_name=str(rec["unit_name"]),
        total_score=_float(rec["total_score"]), rank_prev_month=_int(rec["rank_prev_month"]),
        rank_change=_int(rec["rank_change"]), score_change=rec["score_change"],
        rank_p05=_int(rec["rank_p05"]), rank_p95=_int(rec["rank_p95"]),
        indistinguishable_from=rec["indistinguishable_from"],
        is_commended=bool(rec["is_commended"]), is_criticised=bool(rec["is_criticised"]),
        fund_leads=int(rec["fund_leads"] or 0), face_to_face_rate=rec["face_to_face_rate"],
        four_party_rate=rec["four_party_rate"],
        first_contact_within_60min_rate=rec["first_contact_within_60min_rate"],
        three_clear_rate=rec["three_clear_rate"], cases=int(rec["cases"] or 0),
        loss_amount=float(rec["loss_amount"] or 0.0), intercepted_amount=float(rec["intercepted_amount"] or 0.0),
        post_warning_victims=int(rec["post_warning_victims"] or 0),
        is_assessed=bool(rec["is_assessed"]), is_tied=bool(rec["is_tied"]), unit_system=rec["unit_system"],
        evidence_share=_float(rec["evidence_share"]), indicators=indicators,
    )


def _date(value: Any) -> date:
    """A DATE column comes back from pandas as a Timestamp; the notice wants a plain date."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def kinds_for(kind: str) -> tuple[str, ...]:
    """'all' → every kind; otherwise the one kind (validated)."""
    if kind == "all":
        return KINDS
    if kind not in KINDS:
        raise UserError(f"unknown kind {kind!r}: choose township, member_unit or all", exit_code=2)
    return (kind,)


def load_notice_data(reader: Queryable, month: date, kind: str = "all",
                     district_code: str = DEFAULT_DISTRICT) -> NoticeData:
    """Everything the notice prints for `month` (first day) and `kind` (township|member_unit|all).

    Raises NoDataForMonth when the warehouse ranks nobody that month.
    """
    month = month.replace(day=1)
    sections: list[RankingSection] = []
    versions: set[str] = set()
    thresholds: set[float] = set()
    for k in kinds_for(kind):
        records = _query(reader, RANKING_SQL, [district_code, month, k])
        versions.update(str(r["scheme_version"]) for r in records)
        thresholds.update(float(r["evidence_threshold"]) for r in records if r["evidence_threshold"] is not None)
        if records:
            indicators = _indicators(_query(reader, INDICATORS_SQL, [district_code, month, k]))
            places = [int(r["honour_places"]) for r in records if r["honour_places"] is not None]
            sections.append(RankingSection(
                kind=k, rows=tuple(_ranking_row(r, indicators.get(str(r["unit_code"]), ())) for r in records),
                honour_places=places[0] if places else 0))
    if not sections:
        raise NoDataForMonth(month, district_code)
    summary_rows = _query(reader, SUMMARY_SQL, [district_code, month])
    summary = summary_rows[0] if summary_rows else dict.fromkeys(SUMMARY_COLUMNS)
    names = _query(reader, DISTRICT_SQL, [district_code])
    interceptions = tuple(
        Interception(stopped_on=_date(r["stopped_on"]), township_name=r["township_name"], village_name=r["village_name"],
                     name_masked=r["name_masked"], method=r["method"], amount=float(r["amount"]))
        for r in _query(reader, INTERCEPTIONS_SQL, [district_code, month, NOTABLE_INTERCEPTIONS])
    )
    return NoticeData(
        district_code=district_code,
        district_name=str(names[0]["unit_name"]) if names else district_code,
        month=month,
        scheme_version="、".join(sorted(versions)),
        summary={k: (None if summary.get(k) is None else float(summary[k])) for k in SUMMARY_COLUMNS},
        sections=tuple(sections),
        interceptions=interceptions,
        evidence_threshold=min(thresholds) if thresholds else None,
    )
