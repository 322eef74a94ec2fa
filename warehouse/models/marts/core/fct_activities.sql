-- Grain: activity_id. One row per current work-log entry, with the unit's kind and district.
{{ config(**fanzha.incremental_by_month()) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with activities as (
    select * from {{ ref('stg_landing__activities') }}
    where {{ fanzha.invalidated_months_filter(fanzha.month_start('activity_date')) }}
),

units as (
    select unit_code, unit_kind, district_code from {{ ref('int_units_expanded') }}
),

final as (
    select
        activities.activity_id,
        activities.activity_date,
        {{ fanzha.month_start('activities.activity_date') }} as month,
        activities.unit_code,
        activities.unit_raw,
        units.unit_kind,
        coalesce(units.district_code, substring(activities.unit_code, 1, 6)) as district_code,
        activities.activity_kind,
        activities.participants
    from activities
    left join units on activities.unit_code = units.unit_code
)

select * from final
