-- Grain: (unit_code, month). Spark only (on DuckDB the Python model ../rank_simulation_unit_monthly.py
-- builds this table). dbt-spark runs Python models only on Databricks, so `fanzha build --engine spark`
-- runs the same numpy core (fanzha.assessment.simulation) with groupBy(...).applyInPandas after
-- score_unit_monthly is built, into source spark_jobs.rank_simulation_output (fanzha/spark/simulation.py);
-- this model publishes it under the Python model's name, columns and types, so ranking_unit_monthly and
-- the tests in _assessment__models.yml read the same table on both engines. Enabled here rather than by its
-- folder in dbt_project.yml, so that a copy of the assessment models elsewhere (tests/test_assessment_scheme.py)
-- still holds one model of this name on DuckDB.
{{ config(enabled=target.type == 'spark') }}
with simulated as (
    select * from {{ source('spark_jobs', 'rank_simulation_output') }}
),

final as (
    select
        cast(unit_code as {{ dbt.type_string() }}) as unit_code,
        cast(month as date) as month,
        cast(rank_p05 as {{ fanzha.type_double() }}) as rank_p05,
        cast(rank_p95 as {{ fanzha.type_double() }}) as rank_p95,
        cast(cases_per_10k_eb as {{ fanzha.type_double() }}) as cases_per_10k_eb,
        cast(loss_per_10k_eb as {{ fanzha.type_double() }}) as loss_per_10k_eb,
        cast(simulation_draws as bigint) as simulation_draws,
        cast(simulation_seed as bigint) as simulation_seed
    from simulated
)

select * from final
