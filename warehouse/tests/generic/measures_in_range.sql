{#
  One query per model for its measure columns (instead of one test node per column, which made the
  build's fixed per-node cost dominate): every `rates` column is null or within [0, 1]; every
  `non_negative` column is present and at least 0; for each `at_most: {bound: [columns]}`, every listed
  column is at most the bound column of its row (a count of fund leads at a stage ≤ fund_leads).
  Returns one row per offending check with the number of offending rows, so a failure names the column.
#}
{% test measures_in_range(model, rates=[], non_negative=[], at_most={}) %}
{%- set checks = [] -%}
{%- for column in rates -%}
    {%- do checks.append((column, column ~ ' < 0 or ' ~ column ~ ' > 1')) -%}
{%- endfor -%}
{%- for column in non_negative -%}
    {%- do checks.append((column, column ~ ' is null or ' ~ column ~ ' < 0')) -%}
{%- endfor -%}
{%- for bound, columns in at_most.items() -%}
    {%- for column in columns -%}
        {%- do checks.append((column ~ ' <= ' ~ bound, column ~ ' > ' ~ bound)) -%}
    {%- endfor -%}
{%- endfor -%}
with offending as (
    {%- for column, condition in checks %}
    select '{{ column }}' as column_name, sum(case when {{ condition }} then 1 else 0 end) as offending_rows
    from {{ model }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from offending where offending_rows > 0
{% endtest %}
