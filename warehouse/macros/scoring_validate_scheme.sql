{#- Fail the build, with one message listing every problem, when scoring_scheme.csv and
    scoring_parameters.csv are not a usable scheme. Called at the top of score_unit_monthly, so a bad
    scheme never yields scores. Skipped in dbt unit tests (their inputs are fixtures, not the seeds).
    Systems are the distinct member_units.system values. -#}
{% macro scoring_validate_scheme(scheme_relation, parameters_relation, member_units_relation) %}
  {% if not execute or model.resource_type == 'unit_test' %}{{ return('') }}{% endif %}
  {% set result = run_query(
      "select scheme_version, unit_kind, indicator, indicator_group, weight, direction, normalisation, target, systems from "
      ~ scheme_relation) %}
  {% set known_systems = run_query(
      "select distinct system from " ~ member_units_relation ~ " where system is not null order by system"
  ).columns[0].values() | list %}
  {% set separator = scoring_system_separator() %}
  {% set problems = [] %}
  {% set versions = [] %}
  {% set seen = [] %}
  {% set totals = {} %}
  {% set kinds_with_rows = [] %}
  {% for row in result.rows %}
    {% if row['unit_kind'] not in kinds_with_rows %}{% do kinds_with_rows.append(row['unit_kind']) %}{% endif %}
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
    {#- the systems the row applies to: listed ones, or every system (member units) / the whole kind -#}
    {% set listed = [] %}
    {% set systems_text = '' if row['systems'] is none else (row['systems'] | string | trim) %}
    {% if systems_text != '' and row['unit_kind'] != 'member_unit' %}
      {% do problems.append(where ~ ": systems '" ~ systems_text ~ "' given, but only member_unit rows apply to systems (leave it empty)") %}
    {% elif systems_text != '' %}
      {% for name in systems_text.split(separator) %}
        {% if (name | trim) not in known_systems %}
          {% do problems.append(where ~ ": unknown system '" ~ (name | trim) ~ "' in systems '" ~ systems_text ~ "' (allowed: "
              ~ known_systems | join(", ") ~ "; separate several with " ~ separator ~ ")") %}
        {% elif (name | trim) not in listed %}
          {% do listed.append(name | trim) %}
        {% endif %}
      {% endfor %}
    {% endif %}
    {% set applies_to = listed if listed else (known_systems if row['unit_kind'] == 'member_unit' else ['']) %}
    {% if row['weight'] is none or row['weight'] <= 0 %}
      {% do problems.append(where ~ ": weight must be a positive number, got '" ~ row['weight'] ~ "'") %}
    {% elif systems_text == '' or listed %}
      {% for system in applies_to %}
        {% set key = row['unit_kind'] ~ "|" ~ system %}
        {% do totals.update({key: totals.get(key, 0) + row['weight']}) %}
      {% endfor %}
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
  {#- every system of a kind with rows must be fully weighted, including a system no row applies to -#}
  {% for kind in scoring_unit_kinds() %}
    {% if kind in kinds_with_rows %}
      {% for system in (known_systems if kind == 'member_unit' else ['']) %}
        {% set total = totals.get(kind ~ "|" ~ system, 0) %}
        {% if (total - 100) | abs > 0.000001 %}
          {% if system == '' %}
            {% do problems.append("weights of unit_kind '" ~ kind ~ "' sum to " ~ total ~ ", must be 100") %}
          {% else %}
            {% do problems.append("weights of unit_kind '" ~ kind ~ "' for system '" ~ system ~ "' sum to " ~ total ~ ", must be 100") %}
          {% endif %}
        {% endif %}
      {% endfor %}
    {% endif %}
  {% endfor %}
  {% set messages = [] %}
  {% if problems %}
    {% do messages.append("scoring_scheme.csv: " ~ problems | join("; ")) %}
  {% endif %}
  {% set parameter_problems = scoring_parameter_problems(parameters_relation, versions) %}
  {% if parameter_problems %}
    {% do messages.append("scoring_parameters.csv: " ~ parameter_problems | join("; ")) %}
  {% endif %}
  {% if messages %}
    {{ exceptions.raise_compiler_error(messages | join(" | ")) }}
  {% endif %}
{% endmacro %}


{#- The scheme's parameters: name → (lowest allowed, highest allowed, lowest excluded?). -#}
{% macro scoring_known_parameters() %}
  {{ return({'evidence_threshold': (0, 1, true), 'zero_case_min_population': (0, none, false)}) }}
{% endmacro %}


{% macro scoring_parameter_problems(parameters_relation, scheme_versions) %}
  {% set rows = run_query("select scheme_version, parameter, value from " ~ parameters_relation).rows %}
  {% set problems = [] %}
  {% set seen = [] %}
  {% set known = scoring_known_parameters() %}
  {% for row in rows %}
    {% set name = row['parameter'] %}
    {% if name not in known %}
      {% do problems.append("unknown parameter '" ~ name ~ "' (allowed: " ~ known.keys() | list | join(", ") ~ ")") %}
    {% elif name in seen %}
      {% do problems.append("parameter '" ~ name ~ "' listed more than once") %}
    {% else %}
      {% do seen.append(name) %}
      {% set low, high, low_excluded = known[name] %}
      {% if row['value'] is none %}
        {% do problems.append("parameter '" ~ name ~ "' has no value") %}
      {% elif (low_excluded and row['value'] <= low) or row['value'] < low or (high is not none and row['value'] > high) %}
        {% do problems.append("parameter '" ~ name ~ "' is " ~ row['value'] ~ ", must be "
            ~ ("above " if low_excluded else "at least ") ~ low ~ ((" and at most " ~ high) if high is not none else "")) %}
      {% endif %}
    {% endif %}
    {% if scheme_versions and row['scheme_version'] not in scheme_versions %}
      {% do problems.append("parameter '" ~ name ~ "' has scheme_version '" ~ row['scheme_version']
          ~ "', scoring_scheme.csv has '" ~ scheme_versions | join(", ") ~ "' (the two files are one scheme)") %}
    {% endif %}
  {% endfor %}
  {% for name in known %}
    {% if name not in seen %}
      {% do problems.append("parameter '" ~ name ~ "' is missing") %}
    {% endif %}
  {% endfor %}
  {{ return(problems) }}
{% endmacro %}
