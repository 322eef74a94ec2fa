{#- The indicators a scoring scheme may use: columns of kpi_unit_monthly that make sense as a
    monthly score. fanzha/assessment/simulation.py keeps the same list with, for each, how the
    rank simulation perturbs it (tests/test_assessment_scheme.py checks the two agree). -#}
{% macro scoring_known_indicators() %}
  {{ return([
    'face_to_face_rate', 'four_party_rate', 'first_contact_within_60min_rate', 'three_clear_rate',
    'checklist_rate', 'follow_up_rate', 'dissuaded_rate', 'activities_per_10k', 'activities_total',
    'cases_per_10k', 'loss_per_10k', 'post_warning_victims', 'repeat_victims', 'intercepted_share'
  ]) }}
{% endmacro %}

{% macro scoring_unit_kinds() %}{{ return(['township', 'member_unit']) }}{% endmacro %}
{% macro scoring_directions() %}{{ return(['higher_better', 'lower_better']) }}{% endmacro %}
{% macro scoring_normalisations() %}{{ return(['target', 'minmax', 'district_relative']) }}{% endmacro %}
{% macro scoring_groups() %}{{ return(['过程', '结果']) }}{% endmacro %}


{#- One row per unit-month × known indicator: (…, indicator, raw_value). A union of narrow
    selects rather than a vendor UNPIVOT, so the SQL stays portable. -#}
{% macro scoring_unpivot_indicators(relation) %}
  {%- for indicator in scoring_known_indicators() %}
    select
        unit_code,
        unit_name,
        unit_kind,
        district_code,
        month,
        '{{ indicator }}' as indicator,
        cast({{ indicator }} as double) as raw_value
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endmacro %}
