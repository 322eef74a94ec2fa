"""Rank intervals (5th–95th percentile over seeded random draws) and empirical-Bayes rates.

Grain: (unit_code, month), for the unit-months score_unit_monthly scores; the intervals are null for
units not ranked that month (assessment_unit_monthly.is_assessed false). The arithmetic lives in
fanzha.assessment.simulation (documented and unit-tested there); this model only feeds it the
warehouse tables. Settings come from the model's config (see _assessment__models.yml).
"""


def model(dbt, session):
    from fanzha.assessment.simulation import SimulationSettings, simulate_rank_intervals

    dbt.config(materialized="table")
    settings = SimulationSettings(
        draws=int(dbt.config.get("simulation_draws")),
        seed=int(dbt.config.get("simulation_seed")),
        weight_spread=float(dbt.config.get("simulation_weight_spread")),
    )
    scores = dbt.ref("score_unit_monthly").df()
    assessed = dbt.ref("assessment_unit_monthly").project("unit_code, month, is_assessed").df()
    bases = (
        dbt.ref("kpi_unit_monthly")
        .filter("unit_kind in ('township', 'member_unit')")
        .project("unit_code, month, population, fund_leads, cases, loss_amount")
        .df()
    )
    return simulate_rank_intervals(scores.merge(assessed, on=["unit_code", "month"], how="left"), bases, settings)
