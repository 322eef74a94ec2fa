{#
  Cast that yields null instead of failing on a value that does not convert: try_cast on DuckDB and on
  Spark (Spark runs with ANSI mode on, where a plain cast that fails is an error, as on DuckDB).
  dbt's unit-test fixtures call `safe_cast` too, and a root project's macro shadows dbt's: so every engine
  fanzha runs on has its own implementation here, and the default is a plain cast (calling dbt.safe_cast
  from fanzha's default__safe_cast would dispatch back to it and never return).
#}
{% macro safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('safe_cast', 'fanzha')(expression, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro duckdb__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro spark__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
