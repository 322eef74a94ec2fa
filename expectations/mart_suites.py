"""Suites over the marts the dashboards and the notice read (docs/contracts.md §4)."""

from __future__ import annotations

from expectations.rules import Check, all_true, between, in_set, non_negative, not_null, rate, unique

RATES = (
    "first_contact_within_60min_rate",
    "face_to_face_rate",
    "four_party_rate",
    "three_clear_rate",
    "checklist_rate",
    "follow_up_rate",
    "dissuaded_rate",
    "intercepted_share",
)
COUNTS_AND_MONEY = (
    "leads",
    "fund_leads",
    "amount_at_risk",
    "leads_contacted",
    "fund_leads_contacted",
    "fund_leads_within_60min",
    "fund_leads_face_to_face",
    "fund_leads_four_party",
    "fund_leads_three_clear",
    "fund_leads_checklist",
    "fund_leads_follow_up",
    "fund_leads_dissuaded",
    "median_minutes_to_first_contact",
    "intercepted_amount",
    "cases",
    "loss_amount",
    "recovered_amount",
    "cases_per_10k",
    "loss_per_10k",
    "post_warning_victims",
    "repeat_victims",
    "activities_total",
    "activities_per_10k",
)
# The month's fund leads at each handling stage (each rate = its count ÷ fund_leads); counted per lead.
FUND_LEAD_STAGES = (
    "fund_leads_contacted",
    "fund_leads_within_60min",
    "fund_leads_face_to_face",
    "fund_leads_four_party",
    "fund_leads_three_clear",
    "fund_leads_checklist",
    "fund_leads_follow_up",
    "fund_leads_dissuaded",
)
# Measures that must add up from townships to their district (money compared to the cent).
ADDITIVE = (
    "leads",
    "fund_leads",
    "amount_at_risk",
    "cases",
    "loss_amount",
    "intercepted_amount",
    *FUND_LEAD_STAGES,
)
MONEY_TOLERANCE = 0.005

_KPI_COLUMNS = ", ".join(RATES + COUNTS_AND_MONEY)


def _rates_and_counts() -> tuple:
    return tuple(rate(c) for c in RATES) + tuple(non_negative(c) for c in COUNTS_AND_MONEY)


EVERY_UNIT_EVERY_MONTH_SQL = """
with span as (
  select min(month) as first_month, max(month) as last_month from wh.main.kpi_unit_monthly
),
months as (
  select m.month from wh.main.dim_months as m cross join span
  where m.month between span.first_month and span.last_month
),
units as (
  select unit_code, unit_kind from wh.main.dim_units where unit_kind in ('township', 'member_unit', 'village')
),
present as (
  select distinct unit_code, month from wh.main.kpi_unit_monthly
)
select units.unit_code, units.unit_kind, months.month, present.unit_code is not null as present
from units cross join months
left join present on present.unit_code = units.unit_code and present.month = months.month
"""


def _district_totals_sql() -> str:
    sums = ", ".join(f"sum({m}) as {m}" for m in ADDITIVE)
    diffs = ", ".join(f"abs(coalesce(d.{m}, 0) - coalesce(t.{m}, 0)) as {m}_diff" for m in ADDITIVE)
    return f"""
with township_sums as (
  select district_code, month, {sums}
  from wh.main.kpi_unit_monthly where unit_kind = 'township'
  group by district_code, month
)
select d.district_code, d.month, {diffs}
from wh.main.kpi_district_monthly as d
left join township_sums as t on t.district_code = d.district_code and t.month = d.month
"""


MART_CHECKS: tuple[Check, ...] = (
    Check(
        "mart_dim_units",
        "dim_units",
        "select unit_code, unit_kind from wh.main.dim_units",
        (
            unique("unit_code"),
            not_null("unit_code"),
            in_set(
                "unit_kind", ["district", "township", "village", "member_unit", "police_station"], "critical"
            ),
        ),
        ("wh.dim_units",),
    ),
    Check(
        "mart_kpi_unit_monthly",
        "kpi_unit_monthly",
        f"select unit_code, month, {_KPI_COLUMNS} from wh.main.kpi_unit_monthly",
        (unique("unit_code", "month"), not_null("month"), *_rates_and_counts()),
        ("wh.kpi_unit_monthly",),
    ),
    Check(
        "mart_kpi_unit_monthly",
        "kpi_unit_monthly",
        EVERY_UNIT_EVERY_MONTH_SQL,
        (all_true("present", "every township, member unit and village has a row for every month"),),
        ("wh.kpi_unit_monthly", "wh.dim_units", "wh.dim_months"),
    ),
    Check(
        "mart_kpi_district_monthly",
        "kpi_district_monthly",
        f"select district_code, month, {_KPI_COLUMNS} from wh.main.kpi_district_monthly",
        (unique("district_code", "month"), *_rates_and_counts()),
        ("wh.kpi_district_monthly",),
    ),
    Check(
        "mart_kpi_district_monthly",
        "kpi_district_monthly",
        _district_totals_sql(),
        tuple(
            between(f"{m}_diff", 0, MONEY_TOLERANCE, rule=f"district {m} equals the sum of its townships")
            for m in ADDITIVE
        ),
        ("wh.kpi_unit_monthly", "wh.kpi_district_monthly"),
    ),
    Check(
        "mart_fct_alerts",
        "fct_alerts",
        "select alert_id, amount_at_risk, minutes_to_first_contact, intercepted_amount, month from wh.main.fct_alerts",
        (
            unique("alert_id"),
            not_null("alert_id"),
            not_null("month"),
            non_negative("amount_at_risk"),
            non_negative("minutes_to_first_contact"),
            non_negative("intercepted_amount"),
        ),
        ("wh.fct_alerts",),
    ),
    Check(
        "mart_fct_interceptions",
        "fct_interceptions",
        "select interception_id, amount from wh.main.fct_interceptions",
        (unique("interception_id"), non_negative("amount")),
        ("wh.fct_interceptions",),
    ),
    Check(
        "mart_fct_cases",
        "fct_cases",
        "select case_id, loss_amount, recovered_amount, month from wh.main.fct_cases",
        (unique("case_id"), not_null("month"), non_negative("loss_amount"), non_negative("recovered_amount")),
        ("wh.fct_cases",),
    ),
    Check(
        "mart_case_loss_bands",
        "case_loss_bands",
        "select district_code, period, loss_band, cases, case_share, loss_amount, loss_share "
        "from wh.main.case_loss_bands",
        (
            unique("district_code", "period", "loss_band"),
            non_negative("cases"),
            non_negative("loss_amount"),
            rate("case_share"),
            rate("loss_share"),
        ),
        ("wh.case_loss_bands",),
    ),
    Check(
        "mart_victim_profile",
        "victim_profile",
        "select district_code, period, dimension, category, victims, share, loss_amount from wh.main.victim_profile",
        (
            unique("district_code", "period", "dimension", "category"),
            non_negative("victims"),
            non_negative("loss_amount"),
            rate("share"),
        ),
        ("wh.victim_profile",),
    ),
    Check(
        "mart_score_unit_monthly",
        "score_unit_monthly",
        "select unit_code, month, indicator, normalised, weight from wh.main.score_unit_monthly",
        (unique("unit_code", "month", "indicator"), rate("normalised"), non_negative("weight")),
        ("wh.score_unit_monthly",),
    ),
    Check(
        "mart_ranking_unit_monthly",
        "ranking_unit_monthly",
        "select unit_code, month, total_score, rank, units_in_kind, "
        "rank between 1 and units_in_kind as rank_in_range from wh.main.ranking_unit_monthly",
        (
            unique("unit_code", "month"),
            not_null("total_score"),
            all_true("rank_in_range", "rank between 1 and the number of units of the kind"),
            not_null("rank"),
        ),
        ("wh.ranking_unit_monthly",),
    ),
)
