{#- Grain: (unit_code, month), the units with enough evidence (assessment_unit_monthly.is_assessed):
    ranked within their kind and district each month. Units below the evidence threshold are not
    ranked (本月无可考核事项): they are listed by assessment_unit_monthly only.
    Incremental by month (macros/incremental_months.sql): a month's rank change reads the previous month, so a
    rebuilt month also rebuilds the next. -#}
{% set rebuild_offsets = [0, 1] %}
{{ config(**fanzha.incremental_by_month(rebuild_offsets)) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with

assessments as (

    select * from {{ ref('assessment_unit_monthly') }}
    where {{ fanzha.invalidated_months_lookback('month', 1) }}

),

simulation as (

    select * from {{ ref('rank_simulation_unit_monthly') }}

),

assessed as (

    select * from assessments
    where is_assessed

),

ranked as (

    select
        assessed.*,
        rank() over (
            partition by district_code, month, unit_kind order by total_score desc
        ) as rank,
        rank() over (
            partition by district_code, month, unit_kind order by total_score asc nulls last
        ) as rank_from_bottom,
        count(*) over (partition by district_code, month, unit_kind) as units_in_kind,
        count(*) over (partition by district_code, month, unit_kind, total_score) as units_with_score
    from assessed

),

-- Three places are commended and three criticised, but never more than half of the ranked units
-- each (four ranked units: two and two). Units tied at a boundary are all included.
with_places as (

    select
        ranked.*,
        case when floor(units_in_kind / 2) < 3 then floor(units_in_kind / 2) else 3 end as honour_places
    from ranked

),

with_previous as (

    select
        with_places.*,
        previous.rank as rank_prev_month,
        previous.total_score as score_prev_month
    from with_places
    left join with_places as previous
        on with_places.unit_code = previous.unit_code
        and previous.month = {{ fanzha.add_months('with_places.month', -1) }}

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
        {{ fanzha.listagg_ordered('other_name', "'、'", ['other_rank', 'other_name']) }} as indistinguishable_from
    from overlapping_pairs
    group by unit_code, month

),

final as (

    select
        with_intervals.unit_code,
        with_intervals.unit_name,
        with_intervals.unit_kind,
        with_intervals.unit_system,
        with_intervals.district_code,
        with_intervals.month,
        with_intervals.total_score,
        cast(with_intervals.rank as integer) as rank,
        cast(with_intervals.units_in_kind as integer) as units_in_kind,
        with_intervals.units_with_score > 1 as is_tied,
        cast(with_intervals.honour_places as integer) as honour_places,
        cast(with_intervals.rank_prev_month as integer) as rank_prev_month,
        cast(with_intervals.rank_prev_month - with_intervals.rank as integer) as rank_change,
        with_intervals.total_score - with_intervals.score_prev_month as score_change,
        with_intervals.rank <= with_intervals.honour_places as is_commended,
        with_intervals.rank_from_bottom <= with_intervals.honour_places
            and with_intervals.rank > with_intervals.honour_places as is_criticised,
        with_intervals.evidence_share,
        with_intervals.assessed_on,
        with_intervals.not_assessed_on,
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
