{#- Grain: (unit_code, month). Units are ranked within their kind and district each month.
    Incremental by month: a month's rank change reads the previous month, so a rebuilt month also rebuilds the
    next one. -#}
{% set rebuild_offsets = [0, 1] %}
{{ config(**fanzha.incremental_by_month(rebuild_offsets)) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with

scores as (

    select * from {{ ref('score_unit_monthly') }}
    where {{ fanzha.invalidated_months_lookback('month', 1) }}

),

simulation as (

    select * from {{ ref('rank_simulation_unit_monthly') }}

),

unit_totals as (

    select
        unit_code,
        unit_name,
        unit_kind,
        district_code,
        month,
        scheme_version,
        -- rounded as printed, so units that look tied in the notice share a rank
        round({{ fanzha.exact_sum('points') }}, 2) as total_score
    from scores
    group by unit_code, unit_name, unit_kind, district_code, month, scheme_version
    having sum(case when points is not null then 1 else 0 end) > 0

),

ranked as (

    select
        unit_totals.*,
        rank() over (
            partition by district_code, month, unit_kind order by total_score desc
        ) as rank,
        rank() over (
            partition by district_code, month, unit_kind order by total_score asc
        ) as rank_from_bottom,
        count(*) over (partition by district_code, month, unit_kind) as units_in_kind
    from unit_totals

),

with_previous as (

    select
        ranked.*,
        previous.rank as rank_prev_month,
        previous.total_score as score_prev_month
    from ranked
    left join ranked as previous
        on ranked.unit_code = previous.unit_code
        and previous.month = cast({{ dbt.dateadd('month', -1, 'ranked.month') }} as date)

),

with_intervals as (

    select
        with_previous.*,
        cast(simulation.rank_p05 as integer) as rank_p05,
        cast(simulation.rank_p95 as integer) as rank_p95,
        simulation.cases_per_10k_eb,
        simulation.loss_per_10k_eb
    from with_previous
    left join simulation
        on with_previous.unit_code = simulation.unit_code
        and with_previous.month = simulation.month

),

-- Two units whose 5–95 % rank intervals overlap cannot honestly be told apart this month.
overlapping_pairs as (

    select
        unit.unit_code,
        unit.month,
        other.unit_name as other_name,
        other.rank as other_rank
    from with_intervals as unit
    inner join with_intervals as other
        on unit.district_code = other.district_code
        and unit.month = other.month
        and unit.unit_kind = other.unit_kind
        and unit.unit_code <> other.unit_code
        and other.rank_p05 <= unit.rank_p95
        and unit.rank_p05 <= other.rank_p95

),

interval_overlaps as (

    select
        unit_code,
        month,
        count(*) as indistinguishable_units,
        {{ dbt.listagg('other_name', "'、'", 'order by other_rank, other_name') }} as indistinguishable_from
    from overlapping_pairs
    group by unit_code, month

),

final as (

    select
        with_intervals.unit_code,
        with_intervals.unit_name,
        with_intervals.unit_kind,
        with_intervals.district_code,
        with_intervals.month,
        with_intervals.total_score,
        cast(with_intervals.rank as integer) as rank,
        cast(with_intervals.units_in_kind as integer) as units_in_kind,
        cast(with_intervals.rank_prev_month as integer) as rank_prev_month,
        cast(with_intervals.rank_prev_month - with_intervals.rank as integer) as rank_change,
        with_intervals.total_score - with_intervals.score_prev_month as score_change,
        with_intervals.rank <= 3 as is_commended,
        with_intervals.rank_from_bottom <= 3 and with_intervals.rank > 3 as is_criticised,
        with_intervals.rank_p05,
        with_intervals.rank_p95,
        cast(coalesce(interval_overlaps.indistinguishable_units, 0) as integer) as indistinguishable_units,
        interval_overlaps.indistinguishable_from,
        with_intervals.cases_per_10k_eb,
        with_intervals.loss_per_10k_eb,
        with_intervals.scheme_version
    from with_intervals
    left join interval_overlaps
        on with_intervals.unit_code = interval_overlaps.unit_code
        and with_intervals.month = interval_overlaps.month
    where {{ fanzha.invalidated_months_filter('with_intervals.month', rebuild_offsets) }}

)

select * from final
