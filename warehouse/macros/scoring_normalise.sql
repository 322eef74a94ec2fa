{#- Normalise a raw indicator value to [0, 1] (1 = best), per the scheme row's normalisation.
    Arguments are SQL expressions. Null raw values stay null (the indicator's weight is then
    redistributed over the unit's other indicators, see score_unit_monthly).

    target            higher_better: raw ÷ target, capped at 1.
                      lower_better: 1 at or below the target, else target ÷ raw
                      (target 0 → all or nothing: "any is heavy").
    minmax            (raw − worst) ÷ (best − worst) across the kind's units that month;
                      all equal → 1.
    district_relative against the kind's mean that month: higher_better raw ÷ (2·mean),
                      lower_better 1 − raw ÷ (2·mean), clamped to [0, 1]; at the mean = 0.5;
                      mean 0 (everyone at 0) → 0.5.
-#}
{% macro scoring_normalise(raw, direction, normalisation, target, kind_min, kind_max, kind_mean) %}
  {{ return(adapter.dispatch('scoring_normalise')(raw, direction, normalisation, target, kind_min, kind_max, kind_mean)) }}
{% endmacro %}

{% macro default__scoring_normalise(raw, direction, normalisation, target, kind_min, kind_max, kind_mean) %}
    case
        when {{ raw }} is null then null
        when {{ normalisation }} = 'target' and {{ direction }} = 'higher_better'
            then least({{ raw }} / {{ target }}, 1.0)
        when {{ normalisation }} = 'target'
            then case when {{ raw }} <= {{ target }} then 1.0 else {{ target }} / {{ raw }} end
        when {{ normalisation }} = 'minmax' and {{ kind_max }} = {{ kind_min }}
            then 1.0
        when {{ normalisation }} = 'minmax' and {{ direction }} = 'higher_better'
            then ({{ raw }} - {{ kind_min }}) / ({{ kind_max }} - {{ kind_min }})
        when {{ normalisation }} = 'minmax'
            then ({{ kind_max }} - {{ raw }}) / ({{ kind_max }} - {{ kind_min }})
        when {{ normalisation }} = 'district_relative' and {{ kind_mean }} = 0
            then 0.5
        when {{ normalisation }} = 'district_relative' and {{ direction }} = 'higher_better'
            then least({{ raw }} / (2.0 * {{ kind_mean }}), 1.0)
        when {{ normalisation }} = 'district_relative'
            then greatest(1.0 - {{ raw }} / (2.0 * {{ kind_mean }}), 0.0)
    end
{% endmacro %}
