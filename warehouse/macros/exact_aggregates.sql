{#
  Order-independent sums and means of doubles. A sum of doubles depends, in its last bits, on the order of its
  terms, and a database adds them in whatever order its threads and a table's physical layout give: two builds of
  the same data differ there, and an incremental build (which appends rebuilt months after the others) more so.
  Summed as DECIMAL the result is exact, hence the same in every order: the incremental build equals a build from
  scratch row for row (tests/test_incremental_equality.py) because every sum or mean of doubles goes through these.
  Values are rounded to `scale` decimals first (10: money in 元 and rates lose nothing that matters); the result
  is a double again. `over`: a window clause, for window sums.
#}
{% macro exact_sum(expression, over=none, scale=10) -%}
    cast(sum(cast({{ expression }} as decimal(38, {{ scale }}))){% if over %} over ({{ over }}){% endif %}
        as {{ fanzha.type_double() }})
{%- endmacro %}

{% macro exact_avg(expression, over=none, scale=10) -%}
    cast(avg(cast({{ expression }} as decimal(38, {{ scale }}))){% if over %} over ({{ over }}){% endif %}
        as {{ fanzha.type_double() }})
{%- endmacro %}
