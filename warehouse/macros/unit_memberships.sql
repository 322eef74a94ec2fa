{#
  One row per (record, unit it counts for): a lead, case or interception counts for its district, its
  township and village of residence and its member unit (by employer). Emits `unit_code` plus the
  listed columns; records without a code at a level are skipped at that level.
#}
{% macro unit_memberships(relation, columns) -%}
    {%- for level in ['district_code', 'township_code', 'village_code', 'member_unit_code'] %}
    select {{ level }} as unit_code, {{ columns | join(', ') }}
    from {{ relation }}
    where {{ level }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
