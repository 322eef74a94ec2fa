{#- Grain: (unit_code, month, indicator), for the indicators of the scheme that apply to the unit (its
    kind, and for member units its system). The scheme is checked before anything is scored.
    Incremental by month (macros/incremental_months.sql): a month is scored from that month's rows alone. -#}
{{ config(**fanzha.incremental_by_month()) }}
-- depends_on: {{ ref('int_months_invalidated') }}
{{ scoring_validate_scheme(ref('scoring_scheme'), ref('scoring_parameters'), ref('member_units')) }}

with

scheme as (

    select * from {{ ref('scoring_scheme') }}

),

parameters as (

    select
        max(case when parameter = 'zero_case_min_population' then value end) as zero_case_min_population
    from {{ ref('scoring_parameters') }}

),

member_units as (

    select * from {{ ref('member_units') }}

),

unit_months as (

    select * from {{ ref('kpi_unit_monthly') }}
    where unit_kind in ('township', 'member_unit')
        and {{ fanzha.invalidated_months_filter('month') }}

),

duties as (

    select * from {{ ref('int_unit_duties_measured') }}
    where {{ fanzha.invalidated_months_filter('month') }}

),

-- A district-month with no leads, no cases and no activities anywhere has nothing to rank:
-- it gets no scores at all (never a table of zeros).
months_with_data as (

    select district_code, month
    from unit_months
    group by district_code, month
    having sum(coalesce(leads, 0)) + sum(coalesce(cases, 0)) + sum(coalesce(activities_total, 0)) > 0

),

-- Each unit-month with its system (member units), its own duty measures and its district's.
measured as (

    select
        unit_months.*,
        member_units.system as unit_system,
        own_duties.bank_stop_payments,
        own_duties.subscriber_refusals,
        own_duties.subscriber_refusals_cut_off,
        own_duties.publicity_participants,
        district_duties.fund_leads as district_fund_leads,
        district_duties.fund_leads_police_present as district_fund_leads_police_present,
        district_duties.fund_leads_within_60min as district_fund_leads_within_60min,
        parameters.zero_case_min_population
    from unit_months
    inner join months_with_data
        on unit_months.district_code = months_with_data.district_code
        and unit_months.month = months_with_data.month
    left join member_units
        on unit_months.unit_kind = 'member_unit'
        and unit_months.unit_code = {{ dbt.concat(['unit_months.district_code', 'member_units.member_unit_key']) }}
    left join duties as own_duties
        on unit_months.unit_code = own_duties.unit_code and unit_months.month = own_duties.month
    left join duties as district_duties
        on unit_months.district_code = district_duties.unit_code and unit_months.month = district_duties.month
    cross join parameters

),

indicator_values as (

    {{ scoring_unpivot_indicators('measured') }}

),

scored_values as (

    select
        indicator_values.*,
        scheme.indicator_label,
        scheme.indicator_group,
        scheme.systems,
        scheme.weight,
        scheme.direction,
        scheme.normalisation,
        scheme.target,
        scheme.scheme_version
    from indicator_values
    inner join scheme
        on indicator_values.unit_kind = scheme.unit_kind
        and indicator_values.indicator = scheme.indicator
        and {{ scoring_applies_to('scheme.systems', 'indicator_values.unit_system') }}

),

-- min, max and mean over the values that are evidence: a unit's value that is not its own data
-- (a small unit's month without a case) is no benchmark for the others.
kind_reference_values as (

    select
        district_code,
        month,
        unit_kind,
        indicator,
        min(case when has_own_data then raw_value end) as kind_min,
        max(case when has_own_data then raw_value end) as kind_max,
        {{ fanzha.exact_avg('case when has_own_data then raw_value end') }} as kind_mean
    from scored_values
    group by district_code, month, unit_kind, indicator

),

normalised_values as (

    select
        scored_values.*,
        case when scored_values.has_own_data then
            {{ scoring_normalise(
                'scored_values.raw_value', 'scored_values.direction', 'scored_values.normalisation',
                'scored_values.target', 'kind_reference_values.kind_min', 'kind_reference_values.kind_max',
                'kind_reference_values.kind_mean') }}
        end as normalised
    from scored_values
    inner join kind_reference_values
        on scored_values.district_code = kind_reference_values.district_code
        and scored_values.month = kind_reference_values.month
        and scored_values.unit_kind = kind_reference_values.unit_kind
        and scored_values.indicator = kind_reference_values.indicator

),

-- Only indicators assessed on the unit's own data earn points; their weights are scaled up to 100
-- (缺项不计分，按实际考核指标折算为百分制). How much weight that is decides, in
-- assessment_unit_monthly, whether the unit is ranked at all.
evidence_weights as (

    select
        unit_code,
        month,
        sum(case when normalised is not null then weight else 0 end) as evidence_weight
    from normalised_values
    group by unit_code, month

),

final as (

    select
        normalised_values.unit_code,
        normalised_values.unit_name,
        normalised_values.unit_kind,
        normalised_values.unit_system,
        normalised_values.district_code,
        normalised_values.month,
        normalised_values.indicator,
        normalised_values.indicator_label,
        normalised_values.indicator_group,
        normalised_values.systems,
        normalised_values.direction,
        normalised_values.normalisation,
        normalised_values.target,
        normalised_values.value_format,
        normalised_values.evidence_rule,
        normalised_values.raw_value,
        normalised_values.normalised is not null as has_own_data,
        normalised_values.normalised,
        normalised_values.weight,
        case
            when normalised_values.normalised is not null
                then normalised_values.weight * 100.0 / evidence_weights.evidence_weight
        end as weight_applied,
        case
            when normalised_values.normalised is not null
                then normalised_values.normalised * normalised_values.weight * 100.0 / evidence_weights.evidence_weight
        end as points,
        -- 失分: what the indicator could have earned (weight_applied) less what it earned (points).
        case
            when normalised_values.normalised is not null
                then (1 - normalised_values.normalised) * normalised_values.weight * 100.0
                    / evidence_weights.evidence_weight
        end as points_lost,
        normalised_values.scheme_version
    from normalised_values
    inner join evidence_weights
        on normalised_values.unit_code = evidence_weights.unit_code
        and normalised_values.month = evidence_weights.month

)

select * from final
