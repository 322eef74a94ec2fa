"""Run the suites: read each check's DataFrame from DuckDB, validate it with Great Expectations.

The suites read one file: a build (`build/<run>/warehouse.duckdb`), which holds every dbt layer — the
staging models (the current version of each landed record) and the marts. The published file holds the
marts only and is not checked again.

GX's SQL route to DuckDB does not work, so every check is a pandas DataFrame computed in DuckDB
(set work in SQL) and validated by an ephemeral GX context. GX is imported here only, lazily, once
per process (it takes seconds). Data Docs go to `docs_dir` (the pipeline passes `$FANZHA_HOME/quality`).
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from expectations.mart_suites import MART_CHECKS
from expectations.report import CRITICAL, CheckReport, CheckResult
from expectations.rules import Check
from expectations.staging_suites import FRESHNESS_SQL, STAGING_CHECKS
from fanzha.core.sql import literal

_CONTEXTS: dict[str | None, Any] = {}


def _gx_context(docs_dir: Path | None) -> Any:
    """One ephemeral context per Data Docs folder per process, so successive calls (the pipeline checks
    its inputs before the build and the marts after it) end up in the same Data Docs site."""
    key = None if docs_dir is None else str(docs_dir)
    if key not in _CONTEXTS:
        _CONTEXTS[key] = _new_context(docs_dir)
    return _CONTEXTS[key]


def _new_context(docs_dir: Path | None) -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with warnings.catch_warnings():
        # GX imports pyspark when the `spark` extra is installed; pyspark 4.3 then warns that it is not yet
        # tested with pandas 3 (GX's pandas route is used here, not Spark)
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                                category=FutureWarning)
        import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if docs_dir is not None:
        sites["fanzha"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites=sites,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _exception_message(info: Any) -> str:
    """GX reports exceptions either flat or keyed by metric; return the first message."""
    if not info:
        return ""
    if isinstance(info, dict) and "exception_message" in info:
        return str(info["exception_message"] or "") if info.get("raised_exception") else ""
    if isinstance(info, dict):
        for value in info.values():
            msg = _exception_message(
                value if isinstance(value, dict) else getattr(value, "to_json_dict", dict)()
            )
            if msg:
                return msg
    return ""


def _validate(context: Any, check: Check, number: int, frame: Any) -> list[CheckResult]:
    import great_expectations as gx

    name = f"{check.suite}__{number:02d}"
    asset = context.data_sources.add_or_update_pandas(f"fanzha_{name}").add_dataframe_asset(name)
    batch_definition = asset.add_batch_definition_whole_dataframe(name)
    expectations = []
    for i, rule in enumerate(check.rules):
        cls = getattr(gx.expectations, rule.expectation)
        expectations.append(
            cls(**rule.kwargs, meta={"severity": rule.severity, "rule": rule.rule, "index": i})
        )
    suite = context.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=expectations))
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    )
    outcome = definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
    results = []
    for r in outcome.results:
        meta = r.expectation_config.meta or {}
        rule = check.rules[int(meta["index"])]
        detail = _exception_message(r.exception_info)
        count = r.result.get("unexpected_count") if r.result else None
        if not r.success and not detail and r.result:
            sample = (r.result.get("partial_unexpected_list") or [])[:3]
            detail = f"e.g. {sample}" if sample else ""
        results.append(
            CheckResult(
                suite=check.suite,
                table=check.table,
                expectation=r.expectation_config.type,
                column=rule.column,
                severity=rule.severity,
                success=bool(r.success),
                unexpected_count=None if count is None else int(count),
                rule=rule.rule,
                detail=detail,
            )
        )
    return results


def _missing_table(check: Check, table: str) -> CheckResult:
    return CheckResult(
        suite=check.suite,
        table=table.split(".", 1)[1],
        expectation="table_exists",
        column=None,
        severity=CRITICAL,
        success=False,
        unexpected_count=None,
        rule=f"table {table} exists in the warehouse",
        detail="missing",
    )


def run_checks(
    warehouse: Path,
    *,
    docs_dir: Path | None = None,
    checks: Iterable[Check] | None = None,
) -> CheckReport:
    """Validate a built warehouse (staging models and marts) against the suites; build Data Docs if asked.

    `checks` overrides the default suites (tests use it). Raises duckdb.Error if the file cannot be opened.
    """
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach {literal(str(warehouse))} as wh (read_only)")
        existing = {
            f"{schema}.{table}"
            for schema, table in con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'wh'"
            ).fetchall()
        }
        if checks is None:
            checks = STAGING_CHECKS + MART_CHECKS
        context = _gx_context(docs_dir)
        report = CheckReport()
        reported_missing: set[tuple[str, str]] = set()
        for number, check in enumerate(checks):
            missing = [t for t in check.requires if t not in existing]
            for table in missing:
                if (check.suite, table) not in reported_missing:
                    reported_missing.add((check.suite, table))
                    report.results.append(_missing_table(check, table))
            if missing:
                continue
            frame = con.execute(check.sql).df()
            report.results.extend(_validate(context, check, number, frame))
        if "marts.dq_feed_freshness" in existing:
            report.freshness = con.execute(FRESHNESS_SQL).df().to_dict("records")
        if docs_dir is not None:
            docs_dir.mkdir(parents=True, exist_ok=True)
            urls = context.build_data_docs()
            report.docs_index = urls.get("fanzha")
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return report
