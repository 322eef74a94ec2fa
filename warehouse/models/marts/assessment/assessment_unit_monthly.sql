{#- Grain: (unit_code, month), every unit-month score_unit_monthly scores. How much of the unit's
    weight rests on its own data, and whether that is enough to rank, commend or criticise it.
    Incremental by month (macros/incremental_months.sql): a month is assessed from that month's scores alone. -#}
{{ config(**fanzha.incremental_by_month()) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with

scores as (

    select * from {{ ref('score_unit_monthly') }}
    where {{ fanzha.invalidated_months_filter('month') }}

),

parameters as (

    select max(case when parameter = 'evidence_threshold' then value end) as evidence_threshold
    from {{ ref('scoring_parameters') }}

),

unit_totals as (

    select
        unit_code,
        unit_name,
        unit_kind,
        unit_system,
        district_code,
        month,
        scheme_version,
        sum(weight) as scheme_weight,
        sum(case when has_own_data then weight else 0 end) as evidence_weight,
        sum(case when has_own_data then 1 else 0 end) as indicators_assessed,
        sum(case when has_own_data then 0 else 1 end) as indicators_not_assessed,
        -- rounded as printed, so units that look tied in the notice share a rank
        {{ fanzha.sum_rounded('points', 2) }} as total_score
    from scores
    group by unit_code, unit_name, unit_kind, unit_system, district_code, month, scheme_version

),

assessed_labels as (

    select
        unit_code,
        month,
        {{ fanzha.listagg_ordered('indicator_label', "'、'", ['weight desc', 'indicator']) }} as labels
    from scores
    where has_own_data
    group by unit_code, month

),

not_assessed_labels as (

    select
        unit_code,
        month,
        {{ fanzha.listagg_ordered('indicator_label', "'、'", ['weight desc', 'indicator']) }} as labels
    from scores
    where not has_own_data
    group by unit_code, month

),

final as (

    select
        unit_totals.unit_code,
        unit_totals.unit_name,
        unit_totals.unit_kind,
        unit_totals.unit_system,
        unit_totals.district_code,
        unit_totals.month,
        unit_totals.total_score,
        unit_totals.evidence_weight,
        unit_totals.evidence_weight / unit_totals.scheme_weight as evidence_share,
        parameters.evidence_threshold,
        unit_totals.evidence_weight >= parameters.evidence_threshold * unit_totals.scheme_weight - 0.000001
            as is_assessed,
        case
            when unit_totals.evidence_weight >= parameters.evidence_threshold * unit_totals.scheme_weight - 0.000001
                then '参与排名'
            else '本月无可考核事项'
        end as assessment_status,
        cast(unit_totals.indicators_assessed as integer) as indicators_assessed,
        cast(unit_totals.indicators_not_assessed as integer) as indicators_not_assessed,
        assessed_labels.labels as assessed_on,
        not_assessed_labels.labels as not_assessed_on,
        unit_totals.scheme_version
    from unit_totals
    cross join parameters
    left join assessed_labels
        on unit_totals.unit_code = assessed_labels.unit_code and unit_totals.month = assessed_labels.month
    left join not_assessed_labels
        on unit_totals.unit_code = not_assessed_labels.unit_code
        and unit_totals.month = not_assessed_labels.month

)

select * from final
