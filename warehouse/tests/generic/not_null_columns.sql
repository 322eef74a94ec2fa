{#
  None of the columns is ever null: one test (one scan) per model instead of one `not_null` per column. Each dbt
  test node costs about 25 ms of dbt's own time whatever the table's size, so a model with nine required
  columns paid nine times that, and nine scans (docs/performance.md). A failing row shows which column is null:
  `<column>_is_null` is true for each null one.
#}
{% test not_null_columns(model, columns) %}
select
    {% for column in columns %}{{ column }} is null as {{ column }}_is_null{% if not loop.last %},
    {% endif %}{% endfor %}
from {{ model }}
where {% for column in columns %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %}
{% endtest %}
