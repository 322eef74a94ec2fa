{#- Grain: (unit_code, month, indicator), the rows of score_unit_monthly. Each indicator's points
    against the same unit's last month, for the 单位详情 page: the page only selects and formats.
    Incremental by month (macros/incremental_months.sql): a month reads the previous one, so a rebuilt month
    also rebuilds the next. -#}
{% set rebuild_offsets = [0, 1] %}
{{ config(**fanzha.incremental_by_month(rebuild_offsets)) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with

scores as (

    select * from {{ ref('score_unit_monthly') }}
    where {{ fanzha.invalidated_months_lookback('month', 1) }}

),

assessments as (

    select unit_code, month, total_score, is_assessed from {{ ref('assessment_unit_monthly') }}
    where {{ fanzha.invalidated_months_lookback('month', 1) }}

),

with_previous as (

    select
        scores.*,
        previous.raw_value as raw_value_prev_month,
        previous.has_own_data as had_own_data_prev_month,
        previous.normalised as normalised_prev_month,
        previous.weight_applied as weight_applied_prev_month,
        previous.points as points_prev_month
    from scores
    left join scores as previous
        on scores.unit_code = previous.unit_code
        and scores.indicator = previous.indicator
        and previous.month = {{ fanzha.add_months('scores.month', -1) }}

),

final as (

    select
        with_previous.unit_code,
        with_previous.unit_name,
        with_previous.unit_kind,
        with_previous.district_code,
        with_previous.month,
        with_previous.indicator,
        with_previous.indicator_label,
        with_previous.indicator_group,
        with_previous.value_format,
        with_previous.raw_value,
        with_previous.has_own_data,
        case when with_previous.has_own_data then '本单位数据' else '无本单位数据，不计分' end as evidence_label,
        with_previous.normalised,
        with_previous.weight,
        with_previous.weight_applied,
        with_previous.points,
        current_unit.is_assessed,
        with_previous.raw_value_prev_month,
        with_previous.had_own_data_prev_month,
        with_previous.normalised_prev_month,
        with_previous.weight_applied_prev_month,
        with_previous.points_prev_month,
        -- an indicator without own data earns 0, so the changes of a unit add up to its score change
        case
            when previous_unit.total_score is not null and current_unit.total_score is not null
                then coalesce(with_previous.points, 0) - coalesce(with_previous.points_prev_month, 0)
        end as points_change,
        with_previous.scheme_version
    from with_previous
    inner join assessments as current_unit
        on with_previous.unit_code = current_unit.unit_code and with_previous.month = current_unit.month
    left join assessments as previous_unit
        on with_previous.unit_code = previous_unit.unit_code
        and previous_unit.month = {{ fanzha.add_months('with_previous.month', -1) }}
    where {{ fanzha.invalidated_months_filter('with_previous.month', rebuild_offsets) }}

)

select * from final
