{#- The indicators a scoring scheme may use, one line each:
      value     SQL over score_unit_monthly's `measured` step: the unit's kpi_unit_monthly row, its own
                duty measures (int_unit_duties_measured, no prefix) and its district's (district_…);
      evidence  when the value rests on the unit's own data that month (macro scoring_evidence_sql):
                value     the value exists (a rate needs its own leads, refusals, …);
                work_log  always: the unit's own work log, where nothing logged is nothing done;
                cases     the unit had a case, or covers ≥ zero_case_min_population people, so that a
                          month without a case says something (scoring_parameters.csv);
                warned    the unit had a post-warning victim, or leads that month (people at risk);
                events    the count is above 0 (the feed lists only what was done, never a refusal);
      format    how notices print the value: rate (%), count, number (2 decimals).
    fanzha/assessment/simulation.py keeps the same names with how the rank simulation redraws each
    (tests/test_assessment_simulation.py checks the two agree). Definitions: docs/scoring.md §2. -#}
{% macro scoring_indicator_catalogue() %}
  {{ return({
    'face_to_face_rate': {'value': 'face_to_face_rate', 'evidence': 'value', 'format': 'rate'},
    'four_party_rate': {'value': 'four_party_rate', 'evidence': 'value', 'format': 'rate'},
    'first_contact_within_60min_rate': {'value': 'first_contact_within_60min_rate', 'evidence': 'value', 'format': 'rate'},
    'three_clear_rate': {'value': 'three_clear_rate', 'evidence': 'value', 'format': 'rate'},
    'checklist_rate': {'value': 'checklist_rate', 'evidence': 'value', 'format': 'rate'},
    'follow_up_rate': {'value': 'follow_up_rate', 'evidence': 'value', 'format': 'rate'},
    'dissuaded_rate': {'value': 'dissuaded_rate', 'evidence': 'value', 'format': 'rate'},
    'intercepted_share': {'value': 'intercepted_share', 'evidence': 'value', 'format': 'rate'},
    'activities_per_10k': {'value': 'activities_per_10k', 'evidence': 'work_log', 'format': 'number'},
    'activities_total': {'value': 'activities_total', 'evidence': 'work_log', 'format': 'count'},
    'activities_training_education': {'value': 'activities_training + activities_warning_education', 'evidence': 'work_log', 'format': 'count'},
    'activities_publicity': {'value': 'activities_publicity', 'evidence': 'work_log', 'format': 'count'},
    'publicity_reach_per_10k': {'value': fanzha.safe_divide('coalesce(publicity_participants, 0) * 10000', 'population'), 'evidence': 'work_log', 'format': 'number'},
    'cases': {'value': 'cases', 'evidence': 'cases', 'format': 'count'},
    'cases_per_10k': {'value': 'cases_per_10k', 'evidence': 'cases', 'format': 'number'},
    'loss_per_10k': {'value': 'loss_per_10k', 'evidence': 'cases', 'format': 'number'},
    'repeat_victims': {'value': 'repeat_victims', 'evidence': 'cases', 'format': 'count'},
    'post_warning_victims': {'value': 'post_warning_victims', 'evidence': 'warned', 'format': 'count'},
    'bank_stop_payments': {'value': 'coalesce(bank_stop_payments, 0)', 'evidence': 'events', 'format': 'count'},
    'cut_off_rate': {'value': fanzha.safe_divide('subscriber_refusals_cut_off', 'subscriber_refusals'), 'evidence': 'value', 'format': 'rate'},
    'police_present_rate': {'value': fanzha.safe_divide('district_fund_leads_police_present', 'district_fund_leads'), 'evidence': 'value', 'format': 'rate'},
    'police_first_contact_within_60min_rate': {'value': fanzha.safe_divide('district_fund_leads_within_60min', 'district_fund_leads'), 'evidence': 'value', 'format': 'rate'},
  }) }}
{% endmacro %}

{% macro scoring_known_indicators() %}{{ return(scoring_indicator_catalogue().keys() | list) }}{% endmacro %}
{% macro scoring_unit_kinds() %}{{ return(['township', 'member_unit']) }}{% endmacro %}
{% macro scoring_directions() %}{{ return(['higher_better', 'lower_better']) }}{% endmacro %}
{% macro scoring_normalisations() %}{{ return(['target', 'minmax', 'district_relative']) }}{% endmacro %}
{% macro scoring_groups() %}{{ return(['过程', '结果']) }}{% endmacro %}
{% macro scoring_evidence_rules() %}{{ return(['value', 'work_log', 'cases', 'warned', 'events']) }}{% endmacro %}
{#- The separator of the scheme's `systems` column (several systems: 金融、通信). -#}
{% macro scoring_system_separator() %}{{ return('、') }}{% endmacro %}


{#- True when the value `value` (SQL) of an indicator with evidence rule `rule` rests on the unit's own
    data; the columns are those of score_unit_monthly's `measured` step. Never null. -#}
{% macro scoring_evidence_sql(rule, value) %}
  {%- if rule == 'value' or rule == 'work_log' -%}
    (({{ value }}) is not null)
  {%- elif rule == 'cases' -%}
    (({{ value }}) is not null and (coalesce(cases, 0) > 0 or coalesce(population >= zero_case_min_population, false)))
  {%- elif rule == 'warned' -%}
    (({{ value }}) is not null and (({{ value }}) > 0 or coalesce(leads, 0) > 0))
  {%- elif rule == 'events' -%}
    (coalesce(({{ value }}) > 0, false))
  {%- else -%}
    {{ exceptions.raise_compiler_error("scoring_indicator_catalogue: unknown evidence rule '" ~ rule ~ "'") }}
  {%- endif -%}
{% endmacro %}


{#- One row per unit-month × catalogue indicator: (…, indicator, raw_value, has_own_data, value_format).
    A union of narrow selects rather than a vendor UNPIVOT, so the SQL stays portable. -#}
{% macro scoring_unpivot_indicators(relation) %}
  {%- for indicator, spec in scoring_indicator_catalogue().items() %}
    select
        unit_code,
        unit_name,
        unit_kind,
        unit_system,
        district_code,
        month,
        '{{ indicator }}' as indicator,
        cast({{ spec['value'] }} as {{ fanzha.type_double() }}) as raw_value,
        {{ scoring_evidence_sql(spec['evidence'], spec['value']) }} as has_own_data,
        '{{ spec['evidence'] }}' as evidence_rule,
        '{{ spec['format'] }}' as value_format
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endmacro %}


{#- True when a scheme row whose `systems` is the SQL expression `systems` applies to a unit of the
    system `system` (null for townships): empty systems = every unit of the kind. -#}
{% macro scoring_applies_to(systems, system) %}
  {{ return(adapter.dispatch('scoring_applies_to', 'fanzha')(systems, system)) }}
{% endmacro %}

{% macro default__scoring_applies_to(systems, system) %}
    (coalesce({{ systems }}, '') = ''
        or {{ dbt.position(
            dbt.concat(["'" ~ scoring_system_separator() ~ "'", system, "'" ~ scoring_system_separator() ~ "'"]),
            dbt.concat(["'" ~ scoring_system_separator() ~ "'", systems, "'" ~ scoring_system_separator() ~ "'"])) }} > 0)
{% endmacro %}
