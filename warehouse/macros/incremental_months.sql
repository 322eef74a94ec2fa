{#
  Models incremental by month (docs/performance.md, "Incremental by month").

  A model whose rows each belong to one month (column `month`) is configured with

      {% set rebuild_offsets = [0, 12] %}
      {{ config(**fanzha.incremental_by_month(rebuild_offsets)) }}
      -- depends_on: {{ ref('int_months_invalidated') }}

  and filters what it selects with `where {{ fanzha.invalidated_months_filter('month', rebuild_offsets) }}`. On an incremental
  build it then *replaces* exactly the months `invalidated_months()` lists: a pre-hook deletes their rows, the
  `append` strategy inserts what the SQL selected for them. A month that comes out empty is emptied. The delete
  runs before the model's transaction (a Python model writes its result from another connection, which a
  transaction begun earlier would not see); a build that fails in between is never continued, since the monthly
  run builds on a copy and keeps it only when everything passed (fanzha/pipeline/workbuild.py). A build
  from scratch (a new table, `--full-refresh`) selects everything and the hook does nothing.

  on_schema_change is 'fail' (what dbt requires with an enforced contract): a change of columns is a change of
  code, and the monthly run rebuilds from scratch after any code change (fanzha/pipeline/workbuild.py).

  rebuild_offsets: month m + o is rebuilt when month m is invalidated, for each o (default [0]). A model whose
  month m reads month m − 12 (year-on-year) needs [0, 12]; the previous month (month-on-month, the previous
  rank) [0, 1]; a rolling 12-month sum [0 … 11]; the year-on-year change of that sum [0 … 23].

  Portable: `append` exists on every adapter (Spark included); the delete is dispatched (delete_invalidated_months).
#}

{% macro incremental_by_month(rebuild_offsets=[0]) -%}
    {{ return(adapter.dispatch('incremental_by_month', 'fanzha')(rebuild_offsets)) }}
{%- endmacro %}

{% macro default__incremental_by_month(rebuild_offsets) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'pre_hook': [{
            'sql': '{{ fanzha.delete_invalidated_months(' ~ rebuild_offsets ~ ') }}',
            'transaction': false,
        }],
    }) }}
{%- endmacro %}

{# The months a model rebuilds: int_months_invalidated shifted by each of its rebuild offsets (a query). #}
{% macro invalidated_months(offsets=[0]) -%}
    select distinct {{ fanzha.add_months('invalidated.month', 'offsets.n') }} as month
    from {{ ref('int_months_invalidated') }} as invalidated
    cross join (
        {%- for offset in offsets %}
        select {{ offset }} as n{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as offsets
{%- endmacro %}

{# A predicate on `column` (a month): on an incremental build, the month is one this model rebuilds. #}
{% macro invalidated_months_filter(column, offsets=[0]) -%}
    {%- if is_incremental() -%}
        {{ column }} in ({{ fanzha.invalidated_months(offsets) }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#
  A predicate on `column` (a month): on an incremental build, the month is at most `lookback` months before the
  first invalidated month (the first month a model rebuilds, its offsets starting at 0) — what a model with lag
  or rolling windows must read to recompute the months it rebuilds.
#}
{% macro invalidated_months_lookback(column, lookback) -%}
    {%- if is_incremental() -%}
        {{ column }} >= (
            select {{ fanzha.add_months('min(invalidated.month)', -lookback) }}
            from {{ ref('int_months_invalidated') }} as invalidated
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{# Pre-hook: on an incremental build, delete the rows of the months this model rebuilds. #}
{% macro delete_invalidated_months(offsets=[0]) -%}
    {{ return(adapter.dispatch('delete_invalidated_months', 'fanzha')(offsets)) }}
{%- endmacro %}

{% macro default__delete_invalidated_months(offsets) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where month in ({{ fanzha.invalidated_months(offsets) }})
    {%- endif -%}
{%- endmacro %}

{#
  Spark (Delta or Iceberg tables, which accept DELETE): the months as literals, since Spark's DELETE takes no
  subquery on every table format.
#}
{% macro spark__delete_invalidated_months(offsets) -%}
    {%- if is_incremental() -%}
        {%- set months = run_query(fanzha.invalidated_months(offsets)).columns[0].values() -%}
        {%- if months | length > 0 -%}
            delete from {{ this }} where month in (
                {%- for month in months %}date '{{ month }}'{% if not loop.last %}, {% endif %}{% endfor -%}
            )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#
  Post-hook of an incremental Python model on DuckDB: dbt-duckdb writes the Python model's new rows to a
  "temporary" relation that is in fact a table (of the default schema) and never drops it. Drop it (and any left by
  an earlier failed build), so the build holds models only.
#}
{% macro drop_python_temp_tables() -%}
    {{ return(adapter.dispatch('drop_python_temp_tables', 'fanzha')()) }}
{%- endmacro %}

{% macro duckdb__drop_python_temp_tables() -%}
    {%- if execute -%}
        {%- set leftovers = run_query(
            "select schema_name, table_name from duckdb_tables() where database_name = '" ~ this.database
            ~ "' and starts_with(table_name, '" ~ this.identifier ~ "__dbt_tmp')") -%}
        {%- for row in leftovers.rows %}
            drop table if exists {{ this.database }}."{{ row[0] }}"."{{ row[1] }}";
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{% macro default__drop_python_temp_tables() -%}{%- endmacro %}
