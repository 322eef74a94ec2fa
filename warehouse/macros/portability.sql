{#
  Dispatched macros for what DuckDB and Spark compute differently (warehouse/README.md, "Portable SQL").
  tests/dialect/assert_dialect_probes.sql checks each against hand-computed answers on the engine the
  build runs on, so an engine upgrade that changes one of them fails the build.
#}

{#
  The values of `measure` joined with `delimiter_text`, in the order of the `order_by` keys (each a column,
  optionally followed by `desc`; nulls last), as one string; null values of `measure` are skipped.
  dbt.listagg's order clause is ignored on Spark (collect_list has no order), so Spark sorts the collected
  (keys…, value) structs with a comparator that applies the same keys, directions and null order. A group
  without any value gives null on both.
#}
{% macro listagg_ordered(measure, delimiter_text, order_by) -%}
    {{ return(adapter.dispatch('listagg_ordered', 'fanzha')(measure, delimiter_text, order_by)) }}
{%- endmacro %}

{% macro listagg_key(key) -%}
    {%- set words = key.strip().split() -%}
    {%- if words | length > 1 and words[-1] | lower in ['asc', 'desc'] -%}
        {{ return((words[:-1] | join(' '), words[-1] | lower)) }}
    {%- endif -%}
    {{ return((key.strip(), 'asc')) }}
{%- endmacro %}

{% macro default__listagg_ordered(measure, delimiter_text, order_by) -%}
    {%- set keys = [] -%}
    {%- for key in order_by -%}
        {%- set column, direction = fanzha.listagg_key(key) -%}
        {%- do keys.append(column ~ ' ' ~ direction ~ ' nulls last') -%}
    {%- endfor -%}
    {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ keys | join(', ')) }}
{%- endmacro %}

{% macro spark__listagg_ordered(measure, delimiter_text, order_by) -%}
    {#- no value at all is null, as string_agg gives (array_join of no element would be '') -#}
    case when count({{ measure }}) > 0 then array_join(transform(array_sort(
        collect_list(named_struct(
            {%- for key in order_by %}
            'k{{ loop.index }}', {{ fanzha.listagg_key(key)[0] }},
            {%- endfor %}
            'v', {{ measure }})),
        (l, r) -> case
            {%- for key in order_by %}
            {%- set direction = fanzha.listagg_key(key)[1] %}
            when not (l.k{{ loop.index }} <=> r.k{{ loop.index }}) then case
                when l.k{{ loop.index }} is null then 1
                when r.k{{ loop.index }} is null then -1
                when l.k{{ loop.index }} {{ '<' if direction == 'asc' else '>' }} r.k{{ loop.index }} then -1
                else 1 end
            {%- endfor %}
            else 0 end),
        x -> x.v), {{ delimiter_text }}) end
{%- endmacro %}

{#
  sum(expression) rounded to `places` decimals, half away from zero, as a double. Summed and rounded in
  DECIMAL(38, 12): the order rows are summed in (which differs between engines and runs) cannot move a
  total across a rounding boundary, and both engines round the decimal the same way (Spark's round on a
  double rounds its shortest decimal form, DuckDB's the binary value: 0.285 → 0.29 on one, 0.28 on the other).
#}
{% macro sum_rounded(expression, places) -%}
    {{ return(adapter.dispatch('sum_rounded', 'fanzha')(expression, places)) }}
{%- endmacro %}

{% macro default__sum_rounded(expression, places) -%}
    cast(round(sum(cast({{ expression }} as decimal(38, 12))), {{ places }}) as {{ fanzha.type_double() }})
{%- endmacro %}

{#
  The time zone timestamps are computed in: Spark's session time zone (pinned to UTC, fanzha/spark/session.py);
  DuckDB's TIMESTAMP has no zone, which is what UTC gives on Spark.
#}
{% macro session_time_zone() -%}
    {{ return(adapter.dispatch('session_time_zone', 'fanzha')()) }}
{%- endmacro %}

{% macro default__session_time_zone() -%}'UTC'{%- endmacro %}
{% macro spark__session_time_zone() -%}current_timezone(){%- endmacro %}
