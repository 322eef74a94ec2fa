{# True when `condition` holds in at least one row of the group (portable bool_or). #}
{% macro any_true(condition) -%}
    (max(case when {{ condition }} then 1 else 0 end) = 1)
{%- endmacro %}

{# The number of rows of the group where `condition` holds, as a BIGINT (a plain sum of ones is a HUGEINT on
   DuckDB and a BIGINT on Spark). #}
{% macro count_where(condition) -%}
    cast(sum(case when {{ condition }} then 1 else 0 end) as bigint)
{%- endmacro %}

{# n / d as a double, null when d is 0 or null (docs/contracts.md §4: rates null when the denominator is 0). #}
{% macro safe_divide(numerator, denominator) -%}
    (case when {{ denominator }} is null or {{ denominator }} = 0 then null
          else cast({{ numerator }} as {{ fanzha.type_double() }}) / {{ denominator }} end)
{%- endmacro %}
