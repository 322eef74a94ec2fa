{#
  The combination of columns is unique (a model's declared grain). fanzha's own version of
  dbt_utils.unique_combination_of_columns (no packages can be downloaded here).
#}
{% test unique_combination(model, combination) %}
select {{ combination | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ combination | join(', ') }}
having count(*) > 1
{% endtest %}
