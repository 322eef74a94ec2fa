{#
  Each layer in its own schema, named plainly (as Mattermost's warehouse does): a node whose folder sets
  `+schema` (dbt_project.yml) lands in exactly that schema — `staging`, `intermediate`, `marts`,
  `reference` for seeds — not dbt's default `<target schema>_<custom>`. A node without one stays in the
  target's schema (`main`). The published warehouse holds the `marts` schema only (docs/contracts.md §4).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
