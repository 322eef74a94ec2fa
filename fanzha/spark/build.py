"""`fanzha build --engine spark --out PATH.duckdb`: the dbt project built on Apache Spark, served as DuckDB.

Steps (timed one by one; docs/scale-out.md):
  1. export    landing.duckdb → Parquet partitioned by export_district (fanzha/spark/landing_export.py)
  2. session   a local SparkSession (fanzha/spark/session.py); dbt-spark's `method: session` reuses it
  3. dbt       `dbt build --target spark --full-refresh` of everything but the rank simulation and what reads
               it; the on-run-start hook registers the Parquet export as the `landing` database
  4. simulate  the rank simulation's numpy core with applyInPandas (fanzha/spark/simulation.py): dbt-spark
               runs Python models only on Databricks
  5. dbt       `dbt build` of rank_simulation_unit_monthly (publishes step 4) and ranking_unit_monthly
  6. serve     every table copied into the DuckDB file `out` (fanzha/spark/serving.py)
dbt's target and log folders go beside `out`, as for the DuckDB build; Spark's warehouse, metastore and
the Parquet export go to `spark_work/` beside `out`, removed after a successful build.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from fanzha.build import BuildResult, dbt_args, node_outcomes, print_summary, summarise
from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome
from fanzha.spark.landing_export import export_landing
from fanzha.spark.serving import built_relations, write_serving_file
from fanzha.spark.session import start_session, stop_session
from fanzha.spark.simulation import SimulationTables, run_rank_simulation, settings_from_manifest

SIMULATION_MODEL = "rank_simulation_unit_monthly"


@dataclass(frozen=True)
class SparkBuild:
    result: BuildResult
    steps: dict[str, float] = field(default_factory=dict)  # step -> seconds
    tables: int = 0


def _relation(manifest: dict, name: str, resource_type: str = "model") -> str:
    if resource_type == "source":
        nodes = [n for n in manifest.get("sources", {}).values() if n["name"] == name]
    else:
        nodes = [n for n in manifest.get("nodes", {}).values()
                 if n["resource_type"] == resource_type and n["name"] == name]
    if len(nodes) != 1:
        raise UserError(f"the Spark build expected one {resource_type} named {name} in the dbt project", exit_code=1)
    return f"{nodes[0]['schema']}.{nodes[0].get('alias') or nodes[0].get('identifier') or nodes[0]['name']}"


def _dbt(command: list[str], work: Path, variables: dict[str, str] | None = None):
    from dbt.cli.main import dbtRunner

    # always from scratch: the catalog is in memory, so the models incremental by month create their tables whole
    args = [*dbt_args(command, work), "--target", "spark", "--full-refresh"]
    if variables:
        args += ["--vars", json.dumps(variables)]
    return dbtRunner().invoke(args)


def _spark_step(what: str, function, *args):
    """Run a step that talks to Spark; an error of Spark's becomes one line naming the step."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        return function(*args)
    except (PySparkException, Py4JError) as err:
        text = (err.getMessage() if hasattr(err, "getMessage") else None) or repr(err)
        raise UserError(f"Spark build: {what} failed: {text.strip().splitlines()[0][:300]}", exit_code=1) from None


def build_on_spark(home: DataHome, out: Path, *, quiet: bool = False, cores: str = "*",
                   driver_memory: str = "3g") -> SparkBuild:
    """Build the warehouse on Spark from `home.landing` and write the serving DuckDB file `out`.

    The step timings also go to `spark_steps.json` beside `out` (fanzha bench reads them).
    """
    if not home.landing.exists():
        raise UserError(f"no landing database at {home.landing}: run 'fanzha ingest' first", exit_code=1)
    out = Path(out).resolve()
    work = out.parent / "spark_work"
    if work.exists():
        shutil.rmtree(work)
    steps: dict[str, float] = {}
    started = mark = time.perf_counter()

    def step(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        steps[name] = round(now - mark, 2)
        mark = now

    exported = export_landing(home.landing, work / "landing_parquet")
    step("export")
    # the same vars for both dbt steps, so the second reuses the first one's parse
    variables = {"landing_parquet": str(exported.root)}
    spark = start_session(work / "session", cores=cores, driver_memory=driver_memory)
    outcomes, exception, tables, complete = [], None, 0, False
    try:
        step("session")
        first = _dbt(["build", "--exclude", f"{SIMULATION_MODEL}+"], out.parent, variables)
        outcomes += node_outcomes(first)
        exception = first.exception
        step("dbt")
        if first.success:
            manifest = json.loads((out.parent / "dbt_target" / "manifest.json").read_text(encoding="utf-8"))
            simulation_tables = SimulationTables(
                scores=_relation(manifest, "score_unit_monthly"),
                assessments=_relation(manifest, "assessment_unit_monthly"),
                bases=_relation(manifest, "kpi_unit_monthly"),
                output=_relation(manifest, "rank_simulation_output", "source"),
            )
            _spark_step("the rank simulation", run_rank_simulation, spark, simulation_tables,
                        settings_from_manifest(manifest))
            step("simulate")
            second = _dbt(["build", "--select", f"{SIMULATION_MODEL}+"], out.parent, variables)
            outcomes += node_outcomes(second)
            exception = second.exception
            step("dbt_ranking")
            if second.success:
                tables = len(_spark_step("the serving file", write_serving_file, spark, built_relations(manifest), out))
                step("serve")
                complete = True
    finally:
        stop_session(spark)
    seconds = time.perf_counter() - started
    summary = summarise(outcomes, seconds, exception)
    if summary.ok and not complete:  # dbt failed without naming a node
        summary = BuildResult(False, seconds, summary.models, summary.tests, ["spark build failed (see dbt_logs)"])
    (out.parent / "spark_steps.json").write_text(
        json.dumps({"ok": summary.ok, "seconds": round(seconds, 2), "steps": steps, "tables": tables,
                    "landing_rows": exported.rows, "districts": exported.districts}, indent=2), encoding="utf-8")
    if summary.ok:
        shutil.rmtree(work, ignore_errors=True)
    if not quiet:
        print_summary(summary, out)
        print("  spark steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()))
    return SparkBuild(summary, steps, tables)
