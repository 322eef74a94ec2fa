"""The rank simulation on Spark: the numpy core of the DuckDB build's dbt Python model
(fanzha.assessment.simulation.simulate_rank_intervals), run per group with groupBy(...).applyInPandas.

The group is (month, unit kind, batch of up to BATCH_DISTRICTS districts in code order): exactly the unit
the core gives one random stream (seeded from seed, month, kind and the batch's first district), so the
output is the table the Python model writes on DuckDB, row for row, and groups spread over executors. At
scale 1 a group is one (district, month, unit kind); nationally, 2,800 districts × 28 months × 2 kinds
are 140 × 56 = 7,840 groups of ≤ 20 districts.

dbt-spark cannot run dbt Python models outside Databricks, so fanzha's Spark build calls
`run_rank_simulation` between two dbt steps (fanzha/spark/build.py) and the SQL model
marts/assessment/spark/rank_simulation_unit_monthly publishes the result under the Python model's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from fanzha.assessment.simulation import (
    BASE_COLUMNS,
    BATCH_DISTRICTS,
    SCORE_COLUMNS,
    SimulationSettings,
    simulate_rank_intervals,
)
from fanzha.core.errors import UserError

OUTPUT_SCHEMA = (
    "unit_code string, month date, rank_p05 double, rank_p95 double, cases_per_10k_eb double, "
    "loss_per_10k_eb double, simulation_draws bigint, simulation_seed bigint"
)
GROUP_COLUMNS = ["month", "unit_kind", "district_batch"]


@dataclass(frozen=True)
class SimulationTables:
    """Spark table names (schema.table) the simulation reads and writes."""

    scores: str  # score_unit_monthly
    assessments: str  # assessment_unit_monthly (is_assessed: the unit is ranked that month)
    bases: str  # kpi_unit_monthly
    output: str  # the spark_jobs.rank_simulation_output source


def settings_from_manifest(manifest: dict) -> SimulationSettings:
    """The simulation's settings, from the config of rank_simulation_unit_monthly in _assessment__models.yml,
    so both engines simulate with the same draws and seed. On Spark that properties entry configures the
    enabled SQL model of the name (the Python model is disabled and keeps only its own file's config)."""
    nodes = [n for n in manifest.get("nodes", {}).values() if n.get("name") == "rank_simulation_unit_monthly"]
    nodes += [n for found in manifest.get("disabled", {}).values() for n in found
              if n.get("name") == "rank_simulation_unit_monthly"]
    config = next((n["config"] for n in nodes if "simulation_draws" in n.get("config", {})), {})
    try:
        return SimulationSettings(
            draws=int(config["simulation_draws"]),
            seed=int(config["simulation_seed"]),
            weight_spread=float(config["simulation_weight_spread"]),
        )
    except (KeyError, TypeError, ValueError):
        raise UserError("the dbt project's rank_simulation_unit_monthly must set simulation_draws, simulation_seed "
                        "and simulation_weight_spread (_assessment__models.yml)", exit_code=1) from None


def _simulate_group(settings: SimulationSettings):
    """The pandas function applied to one group: split the joined rows back into the core's two inputs."""

    def simulate(frame):
        scores = frame[SCORE_COLUMNS]
        bases = frame[BASE_COLUMNS].drop_duplicates(["unit_code", "month"])
        return simulate_rank_intervals(scores, bases, settings)

    return simulate


def group_input(spark, tables: SimulationTables):
    """Score rows with their unit-month's is_assessed (as the Python model merges them) and bases, and the
    group key columns."""
    score_columns = ", ".join(f"s.{c}" for c in SCORE_COLUMNS if c != "is_assessed")
    base_columns = ", ".join(f"b.{c}" for c in BASE_COLUMNS if c not in ("unit_code", "month"))
    return spark.sql(f"""
        select {score_columns}, a.is_assessed, {base_columns},
            floor((dense_rank() over (partition by s.month, s.unit_kind order by s.district_code) - 1)
                  / {BATCH_DISTRICTS}) as district_batch
        from {tables.scores} as s
        left join {tables.assessments} as a on s.unit_code = a.unit_code and s.month = a.month
        left join {tables.bases} as b on s.unit_code = b.unit_code and s.month = b.month
    """)


def run_rank_simulation(spark, tables: SimulationTables, settings: SimulationSettings) -> int:
    """Simulate every group and write `tables.output` (Parquet, replaced); returns its row count."""
    schema = tables.output.rpartition(".")[0]
    if schema:  # the target schema may hold no dbt model (every layer has its own schema)
        spark.sql(f"create database if not exists {schema}")
    joined = group_input(spark, tables)
    result = joined.groupBy(*GROUP_COLUMNS).applyInPandas(_simulate_group(settings), schema=OUTPUT_SCHEMA)
    result.write.mode("overwrite").format("parquet").saveAsTable(tables.output)
    return spark.table(tables.output).count()
