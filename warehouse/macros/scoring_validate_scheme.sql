{#- Fail the build, with one message listing every problem, when scoring_scheme.csv is not a
    usable scheme. Called at the top of score_unit_monthly, so a bad scheme never yields scores.
    Skipped in dbt unit tests (their inputs are fixtures, not the seed table). -#}
{% macro scoring_validate_scheme(scheme_relation) %}
  {% if not execute or model.resource_type == 'unit_test' %}{{ return('') }}{% endif %}
  {% set result = run_query(
      "select scheme_version, unit_kind, indicator, indicator_group, weight, direction, normalisation, target from "
      ~ scheme_relation) %}
  {% set problems = [] %}
  {% set versions = [] %}
  {% set seen = [] %}
  {% set totals = {} %}
  {% for row in result.rows %}
    {% set where = "row (" ~ row['unit_kind'] ~ ", " ~ row['indicator'] ~ ")" %}
    {% if row['scheme_version'] is none or (row['scheme_version'] | string | trim) == '' %}
      {% do problems.append(where ~ ": scheme_version is empty") %}
    {% elif row['scheme_version'] not in versions %}
      {% do versions.append(row['scheme_version']) %}
    {% endif %}
    {% if row['unit_kind'] not in scoring_unit_kinds() %}
      {% do problems.append(where ~ ": unknown unit_kind '" ~ row['unit_kind'] ~ "' (allowed: " ~ scoring_unit_kinds() | join(", ") ~ ")") %}
    {% endif %}
    {% if row['indicator'] not in scoring_known_indicators() %}
      {% do problems.append(where ~ ": unknown indicator '" ~ row['indicator'] ~ "' (allowed: " ~ scoring_known_indicators() | join(", ") ~ ")") %}
    {% endif %}
    {% if row['indicator_group'] not in scoring_groups() %}
      {% do problems.append(where ~ ": unknown indicator_group '" ~ row['indicator_group'] ~ "' (allowed: " ~ scoring_groups() | join(", ") ~ ")") %}
    {% endif %}
    {% if row['direction'] not in scoring_directions() %}
      {% do problems.append(where ~ ": unknown direction '" ~ row['direction'] ~ "' (allowed: " ~ scoring_directions() | join(", ") ~ ")") %}
    {% endif %}
    {% if row['normalisation'] not in scoring_normalisations() %}
      {% do problems.append(where ~ ": unknown normalisation '" ~ row['normalisation'] ~ "' (allowed: " ~ scoring_normalisations() | join(", ") ~ ")") %}
    {% endif %}
    {% if row['normalisation'] == 'target' and row['target'] is none %}
      {% do problems.append(where ~ ": normalisation 'target' needs a target") %}
    {% elif row['normalisation'] == 'target' and row['target'] < 0 %}
      {% do problems.append(where ~ ": target " ~ row['target'] ~ " is negative") %}
    {% elif row['normalisation'] == 'target' and row['direction'] == 'higher_better' and row['target'] == 0 %}
      {% do problems.append(where ~ ": a higher_better target must be above 0") %}
    {% endif %}
    {% if row['weight'] is none or row['weight'] <= 0 %}
      {% do problems.append(where ~ ": weight must be a positive number, got '" ~ row['weight'] ~ "'") %}
    {% else %}
      {% do totals.update({row['unit_kind']: totals.get(row['unit_kind'], 0) + row['weight']}) %}
    {% endif %}
    {% set key = row['unit_kind'] ~ "/" ~ row['indicator'] %}
    {% if key in seen %}
      {% do problems.append(where ~ ": listed more than once") %}
    {% else %}
      {% do seen.append(key) %}
    {% endif %}
  {% endfor %}
  {% if result.rows | length == 0 %}
    {% do problems.append("the scheme has no rows") %}
  {% endif %}
  {% if versions | length > 1 %}
    {% do problems.append("more than one scheme_version (" ~ versions | join(", ") ~ "); a file holds one version") %}
  {% endif %}
  {% for kind, total in totals | dictsort %}
    {% if (total - 100) | abs > 0.000001 %}
      {% do problems.append("weights of unit_kind '" ~ kind ~ "' sum to " ~ total ~ ", must be 100") %}
    {% endif %}
  {% endfor %}
  {% if problems %}
    {{ exceptions.raise_compiler_error("scoring_scheme.csv: " ~ problems | join("; ")) }}
  {% endif %}
{% endmacro %}
