{#
  Column types the marts declare. dbt's own `type_float` is a 4-byte REAL on DuckDB; money must be
  an 8-byte double, so fanzha dispatches its own.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'fanzha')()) }}
{%- endmacro %}

{% macro default__type_double() -%}double precision{%- endmacro %}
{% macro duckdb__type_double() -%}double{%- endmacro %}
{% macro spark__type_double() -%}double{%- endmacro %}
