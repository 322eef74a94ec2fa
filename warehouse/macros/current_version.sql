{#
  The current version of each record in a landing feed table: the row with the highest `_file_id`
  (the latest export), then the highest `_row_number` (docs/contracts.md §3). Portable: a window
  function in a subquery, no QUALIFY.
#}
{% macro current_version(relation, key) -%}
select *
from (
    select
        versions.*,
        row_number() over (
            partition by versions.{{ key }}
            order by versions._file_id desc, versions._row_number desc
        ) as _version_rank
    from {{ relation }} as versions
) as ranked_versions
where _version_rank = 1
{%- endmacro %}
