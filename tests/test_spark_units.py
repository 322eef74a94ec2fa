"""The parts of the Spark build that need no Spark: type mapping, what gets served, the simulation's settings,
and the command's user errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanzha.assessment.simulation import SimulationSettings
from fanzha.core.errors import UserError
from fanzha.spark.serving import built_relations, duckdb_type
from fanzha.spark.session import shuffle_partitions_for
from fanzha.spark.simulation import settings_from_manifest
from tests.fixtures.cli import run_fanzha


@pytest.mark.parametrize(("spark", "duckdb"), [
    ("string", "VARCHAR"), ("bigint", "BIGINT"), ("int", "INTEGER"), ("double", "DOUBLE"), ("boolean", "BOOLEAN"),
    ("date", "DATE"), ("timestamp", "TIMESTAMP"), ("timestamp_ntz", "TIMESTAMP"), ("decimal(38,2)", "DECIMAL(38,2)"),
    ("varchar(10)", "VARCHAR"),
])
def test_spark_types_map_to_duckdb_types(spark: str, duckdb: str):
    assert duckdb_type(spark) == duckdb


def test_a_nested_type_is_a_clear_error():
    with pytest.raises(UserError, match="cannot hold Spark type array<string>: cast it in the model"):
        duckdb_type("array<string>")


def _node(resource_type: str, name: str, schema: str, *, enabled: bool = True, package: str = "fanzha",
          alias: str | None = None) -> dict:
    return {"resource_type": resource_type, "name": name, "schema": schema, "alias": alias or name,
            "package_name": package, "config": {"enabled": enabled}}


def test_every_enabled_model_and_seed_of_the_project_is_served():
    manifest = {"nodes": {
        "seed.fanzha.districts": _node("seed", "districts", "reference"),
        "model.fanzha.kpi": _node("model", "kpi_unit_monthly", "marts"),
        "model.fanzha.stg": _node("model", "stg_landing__alerts", "staging", alias="stg_alerts"),
        "test.fanzha.t": _node("test", "unique_x", "marts"),
        "model.other.m": _node("model", "foreign", "marts", package="other"),
        "model.fanzha.eph": {**_node("model", "stg_versions", "staging"), "config": {"materialized": "ephemeral"}},
    }}
    assert built_relations(manifest) == [("marts", "kpi_unit_monthly"), ("reference", "districts"),
                                         ("staging", "stg_alerts")]


def test_simulation_settings_come_from_the_models_properties():
    # on Spark the properties entry configures the enabled SQL model; the disabled Python one has none
    python = {"name": "rank_simulation_unit_monthly", "language": "python", "config": {"enabled": False}}
    sql = {"name": "rank_simulation_unit_monthly", "language": "sql",
           "config": {"simulation_draws": 200, "simulation_seed": 7, "simulation_weight_spread": 0.1}}
    manifest = {"nodes": {"model.fanzha.rank_simulation_unit_monthly": sql},
                "disabled": {"model.fanzha.rank_simulation_unit_monthly": [python]}}
    assert settings_from_manifest(manifest) == SimulationSettings(draws=200, seed=7, weight_spread=0.1)
    with pytest.raises(UserError, match="must set simulation_draws"):
        settings_from_manifest({"nodes": {}})


def test_select_is_refused_on_spark(tmp_path: Path):
    result = run_fanzha(tmp_path, "build", "--engine", "spark", "--select", "kpi_unit_monthly", check=False)
    assert result.returncode == 2
    assert "--select and --incremental are for --engine duckdb" in result.stderr


def test_incremental_is_refused_on_spark(tmp_path: Path):
    result = run_fanzha(tmp_path, "build", "--engine", "spark", "--incremental", check=False)
    assert result.returncode == 2
    assert "a Spark build is always complete" in result.stderr


def test_a_bad_core_count_is_a_usage_error(tmp_path: Path):
    result = run_fanzha(tmp_path, "build", "--engine", "spark", "--spark-cores", "0", check=False)
    assert result.returncode == 2
    assert "'0' is not a number of cores" in result.stderr and "Traceback" not in result.stderr


def test_two_shuffle_partitions_per_core(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    assert (shuffle_partitions_for("*"), shuffle_partitions_for("1"), shuffle_partitions_for("4")) == (6, 2, 8)


def test_no_landing_is_a_clear_error_before_spark_starts(tmp_path: Path):
    result = run_fanzha(tmp_path, "build", "--engine", "spark", check=False)
    assert result.returncode == 1
    assert "no landing database" in result.stderr and "Traceback" not in result.stderr
