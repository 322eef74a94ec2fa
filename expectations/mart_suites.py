"""Suites over the marts that dbt's tests do not cover (docs/contracts.md §4).

The marts' grains, ranges, relationships, "every unit every month" and "district = sum of its townships"
are dbt tests (they fail the build). Here: the reconciliation of the staged records with the district
KPIs, month by month (no record lost or counted twice between the layers), and the assessment marts'
ranges that their own YAML does not test.
"""

from __future__ import annotations

from expectations.report import WARNING
from expectations.rules import Check, all_true, between, non_negative, not_null

MONEY_TOLERANCE = 0.005

# Measure of kpi_district_monthly -> (staging model, the clock that dates a record, what is summed).
RECONCILED = {
    "leads": ("stg_landing__alerts", "issued_at", "1"),
    "cases": ("stg_landing__cases", "occurred_at", "1"),
    "loss_amount": ("stg_landing__cases", "occurred_at", "loss_amount"),
    "intercepted_amount": ("stg_landing__interceptions", "stopped_at", "amount"),
    "activities_total": ("stg_landing__activities", "activity_date", "1"),
}


def _reconciliation_sql() -> str:
    staged = "\n  union all ".join(
        f"select '{measure}' as measure, cast(date_trunc('month', {clock}) as date) as month, "
        f"sum({summed}) as value from wh.staging.{model} group by 2"
        for measure, (model, clock, summed) in RECONCILED.items()
    )
    in_marts = "\n  union all ".join(
        f"select '{measure}' as measure, month, sum({measure}) as value "
        "from wh.marts.kpi_district_monthly group by month"
        for measure in RECONCILED
    ) + (
        # An interception whose lead and case have not landed yet belongs to no district: it waits in
        # fct_interceptions (see the warning below) and is counted once its lead arrives.
        "\n  union all select 'intercepted_amount' as measure, month, sum(amount) as value "
        "from wh.marts.fct_interceptions where district_code is null group by month"
    )
    diffs = ",\n       ".join(
        f"max(case when coalesce(staged.measure, marts.measure) = '{m}' "
        "then abs(coalesce(staged.value, 0) - coalesce(marts.value, 0)) end) "
        f"as {m}_diff"
        for m in RECONCILED
    )
    return f"""
with staged as (
  {staged}
),
marts as (
  select measure, month, sum(value) as value from (
  {in_marts}
  ) as counted group by measure, month
)
select coalesce(staged.month, marts.month) as month,
       {diffs}
from staged
full join marts on marts.measure = staged.measure and marts.month = staged.month
group by 1
"""


RECONCILIATION_SQL = _reconciliation_sql()

MART_CHECKS: tuple[Check, ...] = (
    Check(
        "reconcile_staging_marts",
        "kpi_district_monthly",
        RECONCILIATION_SQL,
        tuple(
            between(
                f"{m}_diff",
                0,
                MONEY_TOLERANCE,
                rule=f"the districts' {m} of each month (with interceptions awaiting their lead) equals the "
                f"staged records' (to {MONEY_TOLERANCE} 元)",
            )
            for m in RECONCILED
        ),
        (
            "marts.kpi_district_monthly",
            "marts.fct_interceptions",
            *sorted({f"staging.{model}" for model, _, _ in RECONCILED.values()}),
        ),
    ),
    Check(
        "interceptions_awaiting_attribution",
        "fct_interceptions",
        "select interception_id, month, district_code from wh.marts.fct_interceptions",
        (
            not_null(
                "district_code",
                WARNING,
                "an interception belongs to a district once its lead or case has landed; until then no "
                "district counts it (its lead usually comes in the next export)",
            ),
        ),
        ("marts.fct_interceptions",),
    ),
    Check(
        "mart_score_unit_monthly",
        "score_unit_monthly",
        "select unit_code, month, indicator, weight from wh.marts.score_unit_monthly",
        (non_negative("weight"),),
        ("marts.score_unit_monthly",),
    ),
    Check(
        "mart_ranking_unit_monthly",
        "ranking_unit_monthly",
        "select unit_code, month, total_score, rank, units_in_kind, "
        "rank between 1 and units_in_kind as rank_in_range from wh.marts.ranking_unit_monthly",
        (
            not_null("total_score"),
            all_true("rank_in_range", "rank between 1 and the number of units of the kind"),
        ),
        ("marts.ranking_unit_monthly",),
    ),
)
