{#- Grain: (unit_code, month, indicator). The scheme is checked before anything is scored.
    Incremental by month: a month is scored from that month's kpi_unit_monthly row alone. -#}
{{ config(**fanzha.incremental_by_month()) }}
-- depends_on: {{ ref('int_months_invalidated') }}
{{ scoring_validate_scheme(ref('scoring_scheme')) }}

with

scheme as (

    select * from {{ ref('scoring_scheme') }}

),

unit_months as (

    select * from {{ ref('kpi_unit_monthly') }}
    where unit_kind in ('township', 'member_unit')
        and {{ fanzha.invalidated_months_filter('month') }}

),

-- A district-month with no leads, no cases and no activities anywhere has nothing to rank:
-- it gets no scores at all (never a table of zeros).
months_with_data as (

    select district_code, month
    from unit_months
    group by district_code, month
    having sum(coalesce(leads, 0)) + sum(coalesce(cases, 0)) + sum(coalesce(activities_total, 0)) > 0

),

indicator_values as (

    {{ scoring_unpivot_indicators('unit_months') }}

),

scored_values as (

    select
        indicator_values.unit_code,
        indicator_values.unit_name,
        indicator_values.unit_kind,
        indicator_values.district_code,
        indicator_values.month,
        indicator_values.indicator,
        indicator_values.raw_value,
        scheme.indicator_label,
        scheme.indicator_group,
        scheme.weight,
        scheme.direction,
        scheme.normalisation,
        scheme.target,
        scheme.scheme_version
    from indicator_values
    inner join months_with_data
        on indicator_values.district_code = months_with_data.district_code
        and indicator_values.month = months_with_data.month
    inner join scheme
        on indicator_values.unit_kind = scheme.unit_kind
        and indicator_values.indicator = scheme.indicator

),

kind_reference_values as (

    select
        district_code,
        month,
        unit_kind,
        indicator,
        min(raw_value) as kind_min,
        max(raw_value) as kind_max,
        {{ fanzha.exact_avg('raw_value') }} as kind_mean
    from scored_values
    group by district_code, month, unit_kind, indicator

),

normalised_values as (

    select
        scored_values.*,
        {{ scoring_normalise(
            'scored_values.raw_value', 'scored_values.direction', 'scored_values.normalisation',
            'scored_values.target', 'kind_reference_values.kind_min', 'kind_reference_values.kind_max',
            'kind_reference_values.kind_mean') }} as normalised
    from scored_values
    inner join kind_reference_values
        on scored_values.district_code = kind_reference_values.district_code
        and scored_values.month = kind_reference_values.month
        and scored_values.unit_kind = kind_reference_values.unit_kind
        and scored_values.indicator = kind_reference_values.indicator

),

-- An indicator without a value (a rate with no fund leads that month) gets the mean normalised
-- value of the kind's units that have one: having nothing to dissuade neither earns nor costs
-- points against one's peers. Only when no unit of the kind has a value is the indicator's weight
-- spread over the unit's other indicators in proportion.
peer_means as (

    select
        normalised_values.*,
        {{ fanzha.exact_avg('normalised', over='partition by district_code, month, unit_kind, indicator') }}
            as peer_mean_normalised
    from normalised_values

),

filled_values as (

    select
        peer_means.*,
        normalised is null and peer_mean_normalised is not null as is_imputed,
        coalesce(normalised, peer_mean_normalised) as normalised_used
    from peer_means

),

available_weights as (

    select
        unit_code,
        month,
        sum(case when normalised_used is not null then weight else 0 end) as available_weight
    from filled_values
    group by unit_code, month

),

final as (

    select
        filled_values.unit_code,
        filled_values.unit_name,
        filled_values.unit_kind,
        filled_values.district_code,
        filled_values.month,
        filled_values.indicator,
        filled_values.indicator_label,
        filled_values.indicator_group,
        filled_values.direction,
        filled_values.normalisation,
        filled_values.target,
        filled_values.raw_value,
        filled_values.normalised_used as normalised,
        filled_values.is_imputed,
        filled_values.weight,
        case
            when filled_values.normalised_used is not null and available_weights.available_weight > 0
                then filled_values.weight * 100.0 / available_weights.available_weight
        end as weight_applied,
        case
            when filled_values.normalised_used is not null and available_weights.available_weight > 0
                then filled_values.normalised_used * filled_values.weight * 100.0
                    / available_weights.available_weight
        end as points,
        filled_values.scheme_version
    from filled_values
    inner join available_weights
        on filled_values.unit_code = available_weights.unit_code
        and filled_values.month = available_weights.month

)

select * from final
