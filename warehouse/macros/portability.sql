{#
  Dispatched macros for what DuckDB and Spark compute differently (warehouse/README.md, "Portable SQL").
  tests/dialect/assert_dialect_probes.sql checks each against hand-computed answers on the engine the
  build runs on, so an engine upgrade that changes one of them fails the build.
#}

{#
  The values of `measure` joined with `delimiter_text`, in ascending order of the `order_by` columns
  (nulls last), as one string; null values of `measure` are skipped. dbt.listagg's order clause is
  ignored on Spark (collect_list has no order), so Spark sorts an array of structs whose fields are the
  keys (each preceded by an is-null flag, so nulls sort last) and then the value.
#}
{% macro listagg_ordered(measure, delimiter_text, order_by) -%}
    {{ return(adapter.dispatch('listagg_ordered', 'fanzha')(measure, delimiter_text, order_by)) }}
{%- endmacro %}

{% macro default__listagg_ordered(measure, delimiter_text, order_by) -%}
    {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ (order_by | map('string') | map('trim') | join(' nulls last, ')) ~ ' nulls last') }}
{%- endmacro %}

{% macro spark__listagg_ordered(measure, delimiter_text, order_by) -%}
    array_join(transform(array_sort(collect_list(named_struct(
        {%- for key in order_by %}
        'n{{ loop.index }}', ({{ key }}) is null, 'k{{ loop.index }}', {{ key }},
        {%- endfor %}
        'v', {{ measure }}))), x -> x.v), {{ delimiter_text }})
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
