{# First day of the month of a date or timestamp, as a DATE. #}
{% macro month_start(expression) -%}
    cast({{ dbt.date_trunc('month', expression) }} as date)
{%- endmacro %}

{# Whole calendar days from `earlier` to `later` (dates of the two moments), as a BIGINT (Spark's datediff is an int). #}
{% macro days_between(earlier, later) -%}
    cast({{ dbt.datediff('cast(' ~ earlier ~ ' as date)', 'cast(' ~ later ~ ' as date)', 'day') }} as bigint)
{%- endmacro %}

{#
  Minutes (fractional) from `earlier` to `later`, divided as doubles: `n / 60.0` is a double on DuckDB but a
  DECIMAL(…, 6) on Spark (0.116667 instead of 0.11666666666666667).
#}
{% macro minutes_between(earlier, later) -%}
    (cast({{ dbt.datediff(earlier, later, 'second') }} as {{ fanzha.type_double() }}) / 60)
{%- endmacro %}

{# A month `n` months after `month` (negative n: before), as a DATE. #}
{% macro add_months(month, n) -%}
    cast({{ dbt.dateadd('month', n, month) }} as date)
{%- endmacro %}

{#
  The integers 0 … 9999 as column `n`, from cross-joined digits: portable (no generate_series).
#}
{% macro integers_0_to_9999() -%}
    select d1.n + 10 * d2.n + 100 * d3.n + 1000 * d4.n as n
    from ({{ fanzha.digits() }}) as d1
    cross join ({{ fanzha.digits() }}) as d2
    cross join ({{ fanzha.digits() }}) as d3
    cross join ({{ fanzha.digits() }}) as d4
{%- endmacro %}

{% macro digits() -%}
    select 0 as n union all select 1 union all select 2 union all select 3 union all select 4
    union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
{%- endmacro %}

{# A timestamp that falls exactly on midnight (the start of its day). #}
{% macro is_midnight(moment) -%}
    (cast(cast({{ moment }} as date) as {{ dbt.type_timestamp() }}) = {{ moment }})
{%- endmacro %}
