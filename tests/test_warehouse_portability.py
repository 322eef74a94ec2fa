"""No DuckDB-only SQL in the warehouse's models: a Spark target will follow.

The project is compiled (dbt compile, in-process); for every SQL model the text outside Jinja — the SQL
the analyst wrote, as opposed to what macros emit — is scanned for DuckDB-only functions and syntax.
Macro files are scanned too, except the bodies of the per-adapter implementations of dispatched
macros (`default__*`, `duckdb__*`, `spark__*` …), which is where engine-specific SQL belongs. What each pattern stands for and the portable way to
write it:
"""

from __future__ import annotations

import json
import re

import pytest

from fanzha.build import dbt_args, dbt_environment, invoke_dbt
from fanzha.core.paths import WAREHOUSE_PROJECT

pytestmark = pytest.mark.dbt  # builds the warehouse with dbt: not in `make test-fast`

# pattern -> why it is not portable / what to use instead
FORBIDDEN: dict[str, str] = {
    r"\btry_cast\s*\(": "fanzha.safe_cast (dispatched)",
    r"\bstrftime\s*\(": "dbt.date_trunc / extract",
    r"\bstrptime\s*\(": "cast in staging; parsing is ingestion's job",
    r"\blist_\w*\s*\(": "DuckDB list functions; no arrays in models",
    r"\bepoch(_ms|_us)?\s*\(": "dbt.datediff",
    r"::": "cast(x as type)",
    r"\bqualify\b": "row_number() in a subquery + where (macro current_version)",
    r"\bdate_diff\s*\(": "dbt.datediff",
    r"\bdate_add\s*\(": "dbt.dateadd",
    r"\bdatediff\s*\(": "dbt.datediff",
    r"\bdate_trunc\s*\(": "dbt.date_trunc",
    r"\bdate_part\s*\(": "extract(part from x)",
    r"\binterval\b": "dbt.dateadd",
    r"\b(quantile|quantile_cont|quantile_disc|median|percentile_cont|approx_quantile)\s*\(": "fanzha.median (dispatched)",
    r"\b(arg_max|arg_min|max_by|min_by)\s*\(": "row_number() over (...) = 1",
    r"\b(bool_or|bool_and|count_if)\s*\(": "fanzha.any_true / sum(case when …)",
    r"\b(string_agg|group_concat)\s*\(": "dbt.listagg",
    r"\b(ifnull|nvl|iif|if)\s*\(": "coalesce / case when",
    r"\b(generate_series|range|unnest)\s*\(": "fanzha.integers_0_to_9999",
    r"\bgroup\s+by\s+all\b": "list the columns",
    r"\*\s*(exclude|replace)\s*\(": "list the columns",
    r"\|\|": "dbt.concat",
    r"\bregexp_\w+\s*\(": "no regular expressions in models",
    r"\b(struct_pack|map_from_entries|json_extract\w*)\s*\(": "no nested types in models",
    r"\b(today|now)\s*\(\s*\)": "current_timestamp / a var",
    r"\bround\s*\(": "fanzha.sum_rounded (Spark rounds a double's shortest decimal form, DuckDB its binary value)",
    r"/\s*\d+\.\d+": "divide by an integer or a double (a decimal-literal divisor makes Spark divide in DECIMAL(…, 6))",
    r"\bas\s+(varchar|hugeint|text|ubigint|float4|real)\b": "dbt.type_string() / bigint / fanzha.type_double()",
}

# Jinja calls whose result differs between DuckDB and Spark -> the dispatched macro to call instead.
FORBIDDEN_MACROS: dict[str, str] = {
    r"\bdbt\.listagg\s*\(": "fanzha.listagg_ordered (Spark's listagg ignores the order clause)",
    r"\bdbt\.type_float\s*\(": "fanzha.type_double (dbt's float is 4 bytes on DuckDB)",
    r"\bdbt\.safe_cast\s*\(": "fanzha.safe_cast (try_cast on both engines)",
}

# The column types a YAML contract or seed may declare: each means the same on DuckDB and Spark.
PORTABLE_TYPES = {"string", "bigint", "integer", "int", "double", "boolean", "date", "timestamp"}

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_SQL_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_STRING = re.compile(r"'(?:[^']|'')*'")
_ADAPTER_MACRO = re.compile(r"\{%-?\s*macro\s+\w+__\w+.*?\{%-?\s*endmacro\s*-?%\}", re.S)


def sql_outside_macros(text: str) -> str:
    """The SQL a person wrote, without Jinja, comments or string literals."""
    text = _JINJA.sub(" ", text)
    text = _SQL_COMMENT.sub(" ", text)
    return _STRING.sub("''", text)


def violations(text: str) -> list[str]:
    sql = sql_outside_macros(text).lower()
    return [f"{pattern} (use {advice})" for pattern, advice in FORBIDDEN.items() if re.search(pattern, sql)]


def test_scanner_catches_duckdb_only_sql():
    bad = "select x::int, try_cast(y as int), list_value(1) from t qualify row_number() over () = 1"
    found = " ".join(violations(bad))
    for needle in ("::", "try_cast", "list_", "qualify"):
        assert needle in found
    assert violations("select {{ fanzha.safe_cast('x', 'int') }} from t -- try_cast( in a comment") == []
    assert violations("select 'a::b' as literal from t") == []


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    import duckdb

    work = tmp_path_factory.mktemp("compile")
    landing = work / "landing.duckdb"
    duckdb.connect(str(landing)).close()  # compile needs the attachment to exist, not its tables
    with dbt_environment(work / "warehouse.duckdb", landing):
        seeded = invoke_dbt(dbt_args(["seed"], work))  # some models read seeds while compiling
        assert seeded.success, seeded.exception
        result = invoke_dbt(dbt_args(["compile"], work))
    assert result.success, result.exception
    return json.loads((work / "dbt_target" / "manifest.json").read_text(encoding="utf-8"))


def test_models_have_no_duckdb_only_sql(manifest: dict):
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["language"] == "sql"]
    assert len(models) >= 25
    found = {m["original_file_path"]: v for m in models if (v := violations(m["raw_code"]))}
    assert found == {}


def test_compiled_models_exist_for_every_sql_model(manifest: dict):
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["language"] == "sql"]
    assert all(n.get("compiled_code") for n in models)


def test_macros_outside_duckdb_implementations_are_portable():
    found = {}
    for path in sorted((WAREHOUSE_PROJECT / "macros").glob("*.sql")):
        text = _ADAPTER_MACRO.sub(" ", path.read_text(encoding="utf-8"))
        if v := violations(text):
            found[path.name] = v
    assert found == {}


def test_models_call_no_engine_dependent_dbt_macro(manifest: dict):
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["language"] == "sql"]
    found = {m["original_file_path"]: [f"{p} (use {a})" for p, a in FORBIDDEN_MACROS.items() if re.search(p, m["raw_code"])]
             for m in models}
    assert {k: v for k, v in found.items() if v} == {}


def _declared_types(node: dict) -> list[tuple[str, str]]:
    declared = [(c["name"], c.get("data_type")) for c in node.get("columns", {}).values() if c.get("data_type")]
    declared += list((node.get("config", {}).get("column_types") or {}).items())
    return declared


def test_yaml_types_are_portable(manifest: dict):
    """Contracts and seed column types use the types both engines read the same way (no varchar, hugeint, float)."""
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]
    found = {n["name"]: bad for n in nodes
             if (bad := [f"{c}: {t}" for c, t in _declared_types(n) if str(t).strip().lower() not in PORTABLE_TYPES])}
    assert found == {}
    assert sum(len(_declared_types(n)) for n in nodes) > 300  # the contracts were read


def test_type_scan_catches_a_duckdb_type():
    node = {"columns": {"a": {"name": "a", "data_type": "varchar"}}, "config": {"column_types": {"b": "hugeint"}}}
    assert [t for _, t in _declared_types(node) if t not in PORTABLE_TYPES] == ["varchar", "hugeint"]
