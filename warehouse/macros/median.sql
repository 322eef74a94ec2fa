{#
  Median of a numeric expression as an aggregate (the 50th percentile, interpolated).
#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'fanzha')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}

{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}
