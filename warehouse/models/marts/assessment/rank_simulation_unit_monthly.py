"""Rank intervals (5th–95th percentile over seeded random draws) and empirical-Bayes rates.

Grain: (unit_code, month), for the unit-months score_unit_monthly scores; the intervals are null for
units not ranked that month (assessment_unit_monthly.is_assessed false). The arithmetic lives in
fanzha.assessment.simulation (documented and unit-tested there); this model only feeds it the
warehouse tables. Settings come from the model's config (see _assessment__models.yml).

Incremental by month (macro incremental_by_month, configured in _assessment__models.yml): an incremental
build simulates only the months int_months_invalidated lists, i.e. the months whose scores were rebuilt.
Each month's random streams are seeded by (seed, month, unit kind, first district of the batch), so a month
simulated alone gets the same intervals as in a full build.
"""


def month_filter(months) -> str:
    """`month in (DATE '…', …)` for a sequence of dates; a predicate that is false when there are none."""
    literals = ", ".join(f"DATE '{month:%Y-%m-%d}'" for month in months)
    return f"month in ({literals})" if literals else "1 = 0"


def model(dbt, session):
    from fanzha.assessment.simulation import SimulationSettings, simulate_rank_intervals

    dbt.config(materialized="incremental", incremental_strategy="append")
    settings = SimulationSettings(
        draws=int(dbt.config.get("simulation_draws")),
        seed=int(dbt.config.get("simulation_seed")),
        weight_spread=float(dbt.config.get("simulation_weight_spread")),
    )
    scores = dbt.ref("score_unit_monthly")
    assessed = dbt.ref("assessment_unit_monthly").project("unit_code, month, is_assessed")
    bases = dbt.ref("kpi_unit_monthly").filter("unit_kind in ('township', 'member_unit')")
    if dbt.is_incremental:  # a full build reads every month; the month list matters only when continuing
        invalidated = dbt.ref("int_months_invalidated")
        months = month_filter(invalidated.project("month").df()["month"].tolist())
        scores, assessed, bases = scores.filter(months), assessed.filter(months), bases.filter(months)
    bases = bases.project("unit_code, month, population, fund_leads, cases, loss_amount")
    scores, assessed = scores.df(), assessed.df()
    return simulate_rank_intervals(scores.merge(assessed, on=["unit_code", "month"], how="left"), bases.df(), settings)
