{#- The steps a handling rule may name and how each counts as done (int_lead_steps_scheduled
    computes the moment each was first done). Deadlines are data (seeds/handling_rules.csv). -#}
{% macro watch_known_steps() %}
  {{ return(['first_contact', 'face_to_face', 'four_party', 'three_clear', 'follow_up', 'escalation']) }}
{% endmacro %}

{% macro watch_clock_starts() %}{{ return(['issued', 'refused_or_unreachable']) }}{% endmacro %}
{% macro watch_within_units() %}{{ return({'minute': 1, 'hour': 60, 'day': 1440}) }}{% endmacro %}
{% macro watch_applies_to() %}{{ return(['fund_leads', 'all_leads']) }}{% endmacro %}


{#- Fail the build, with one message listing every problem, when handling_rules.csv is not a usable
    set of rules. Called at the top of int_lead_steps_scheduled, so bad rules never yield a watch.
    Skipped in dbt unit tests (their inputs are fixtures, not the seed table). -#}
{% macro watch_validate_rules(rules_relation) %}
  {% if not execute or model.resource_type == 'unit_test' %}{{ return('') }}{% endif %}
  {% set result = run_query(
      "select step, step_label, step_order, clock_starts, within_value, within_unit, applies_to, effective_from from "
      ~ rules_relation) %}
  {% set problems = [] %}
  {% set steps_seen = [] %}
  {% set orders_seen = [] %}
  {% for row in result.rows %}
    {% set where = "row (" ~ row["step"] ~ ")" %}
    {% set step = (row['step'] or '') | trim %}
    {% if step not in watch_known_steps() %}
      {% do problems.append(where ~ ": unknown step '" ~ step ~ "' (allowed: " ~ watch_known_steps() | join(", ") ~ ")") %}
    {% elif step in steps_seen %}
      {% do problems.append(where ~ ": step listed more than once") %}
    {% else %}
      {% do steps_seen.append(step) %}
    {% endif %}
    {% if (row['step_label'] or '') | trim == '' %}
      {% do problems.append(where ~ ": step_label is empty") %}
    {% endif %}
    {% set order = (row['step_order'] or '') | trim %}
    {% if not modules.re.fullmatch('[0-9]+', order) or order | int < 1 %}
      {% do problems.append(where ~ ": step_order must be a positive whole number, got '" ~ order ~ "'") %}
    {% elif order | int in orders_seen %}
      {% do problems.append(where ~ ": step_order " ~ order ~ " is used by another step") %}
    {% else %}
      {% do orders_seen.append(order | int) %}
    {% endif %}
    {% if (row['clock_starts'] or '') | trim not in watch_clock_starts() %}
      {% do problems.append(where ~ ": unknown clock_starts '" ~ row['clock_starts'] ~ "' (allowed: " ~ watch_clock_starts() | join(", ") ~ ")") %}
    {% endif %}
    {% set within = (row['within_value'] or '') | trim %}
    {% if not modules.re.fullmatch('[0-9]+', within) or within | int < 1 %}
      {% do problems.append(where ~ ": within_value must be a positive whole number, got '" ~ within ~ "'") %}
    {% endif %}
    {% set unit = (row['within_unit'] or '') | trim %}
    {% if unit not in watch_within_units() %}
      {% do problems.append(where ~ ": unknown within_unit '" ~ row['within_unit'] ~ "' (allowed: " ~ watch_within_units().keys() | list | join(", ") ~ ")") %}
    {% elif step == 'first_contact' and modules.re.fullmatch('[0-9]+', within)
        and within | int * watch_within_units()[unit] != var('first_contact_deadline_minutes') | int %}
      {% do problems.append(where ~ ": " ~ within ~ " " ~ unit ~ " disagrees with var first_contact_deadline_minutes = "
          ~ var('first_contact_deadline_minutes') ~ " (dbt_project.yml: the assessment's first-contact deadline); change both together") %}
    {% endif %}
    {% if (row['applies_to'] or '') | trim not in watch_applies_to() %}
      {% do problems.append(where ~ ": unknown applies_to '" ~ row['applies_to'] ~ "' (allowed: " ~ watch_applies_to() | join(", ") ~ ")") %}
    {% endif %}
    {% set since = (row['effective_from'] or '') | trim %}
    {% if since != '' %}
      {% set parts = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})', since) %}
      {% set ok = parts is not none and 1 <= parts.group(2) | int <= 12 %}
      {% if ok %}
        {% set y, m = parts.group(1) | int, parts.group(2) | int %}
        {% set month_end = modules.datetime.date(y + m // 12, m % 12 + 1, 1) - modules.datetime.timedelta(days=1) %}
        {% set ok = 1 <= parts.group(3) | int <= month_end.day %}
      {% endif %}
      {% if not ok %}
        {% do problems.append(where ~ ": effective_from must be a date YYYY-MM-DD or empty, got '" ~ since ~ "'") %}
      {% endif %}
    {% endif %}
  {% endfor %}
  {% if result.rows | length == 0 %}
    {% do problems.append("the rules have no rows") %}
  {% endif %}
  {% if problems %}
    {{ exceptions.raise_compiler_error("handling_rules.csv: " ~ problems | join("; ")) }}
  {% endif %}
{% endmacro %}


