{#
  One row per element of a list column, used in a select list: `select key, {{ fanzha.explode_list('xs') }} as x`.
  DuckDB's unnest, Spark's explode (an empty list gives no row on both).
#}
{% macro explode_list(column) -%}
    {{ return(adapter.dispatch('explode_list', 'fanzha')(column)) }}
{%- endmacro %}

{% macro default__explode_list(column) -%}unnest({{ column }}){%- endmacro %}
{% macro spark__explode_list(column) -%}explode({{ column }}){%- endmacro %}
