{#
  Cast that yields null instead of failing on a value that does not convert.
  DuckDB: try_cast. Elsewhere: dbt's cross-database safe_cast (try_cast on Snowflake/BigQuery,
  plain cast on Spark where a failed cast is already null outside ANSI mode).
#}
{% macro safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('safe_cast', 'fanzha')(expression, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{% macro duckdb__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
