-- Grain: unit_code × as_of_date (a day). For the district, every township and every member unit, each day from the
-- first watched lead's issue day to the cut-off day: the watched leads open (未完结) and overdue (超时) as
-- of the end of that day (the cut-off itself on the last day, so the last day agrees with
-- watch_open_leads), and the watched leads issued that day. Derived only from the lifecycle timestamps of
-- int_lead_steps_scheduled with the same "as of" rule as watch_open_leads: a rebuild gives the same history.
with cut_off as (
    select cut_off_at from {{ ref('watch_cut_off') }}
),

steps as (
    select * from {{ ref('int_lead_steps_scheduled') }}
),

leads as (
    select alert_id, district_code, township_code, member_unit_code
    from {{ ref('int_alerts_lifecycle_joined') }}
),

units as (
    select unit_code, unit_name, unit_kind, district_code, township_code
    from {{ ref('int_units_expanded') }}
    where unit_kind in ('district', 'township', 'member_unit')
),

bounds as (
    select
        cast(min(steps.issued_at) as date) as first_day,
        cast(max(cut_off.cut_off_at) as date) as last_day,
        max(cut_off.cut_off_at) as cut_off_at
    from steps
    cross join cut_off
    where steps.issued_at <= cut_off.cut_off_at
),

days as (
    select
        cast({{ dbt.dateadd('day', 'integers.n', 'bounds.first_day') }} as date) as as_of_date,
        bounds.cut_off_at
    from ({{ fanzha.integers_0_to_9999() }}) as integers
    cross join bounds
    where integers.n <= {{ fanzha.days_between('bounds.first_day', 'bounds.last_day') }}
),

as_of_moments as (
    select
        as_of_date,
        case when {{ dbt.dateadd('day', 1, 'as_of_date') }} < cut_off_at
            then cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as {{ dbt.type_timestamp() }})
            else cut_off_at end as as_of_at
    from days
),

pending_steps as (
    select
        as_of_moments.as_of_date,
        steps.alert_id,
        (steps.deadline_at < as_of_moments.as_of_at) as is_overdue
    from steps
    inner join as_of_moments
        on steps.issued_at <= as_of_moments.as_of_at
        and steps.clock_started_at <= as_of_moments.as_of_at
        and (steps.done_at is null or steps.done_at > as_of_moments.as_of_at)
        and (steps.false_alarm_at is null or steps.false_alarm_at > as_of_moments.as_of_at)
),

lead_days as (
    select as_of_date, alert_id, max(case when is_overdue then 1 else 0 end) as is_overdue
    from pending_steps
    group by as_of_date, alert_id
),

issued as (
    select distinct alert_id, cast(issued_at as date) as as_of_date
    from steps
),

lead_events as (
    select as_of_date, alert_id, 1 as is_open, is_overdue, 0 as is_new from lead_days
    union all
    select issued.as_of_date, issued.alert_id, 0, 0, 1
    from issued
    inner join days on issued.as_of_date = days.as_of_date
),

unit_events as (
    {%- for level in ['district_code', 'township_code', 'member_unit_code'] %}
    select leads.{{ level }} as unit_code, lead_events.as_of_date, lead_events.alert_id, lead_events.is_open,
        lead_events.is_overdue, lead_events.is_new
    from lead_events
    inner join leads on lead_events.alert_id = leads.alert_id
    where leads.{{ level }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

counted as (
    select
        unit_code,
        as_of_date,
        sum(is_open) as open_leads,
        sum(is_overdue) as overdue_leads,
        sum(is_new) as new_leads
    from unit_events
    group by unit_code, as_of_date
),

final as (
    select
        cast(units.unit_code as {{ dbt.type_string() }}) as unit_code,
        cast(units.unit_name as {{ dbt.type_string() }}) as unit_name,
        cast(units.unit_kind as {{ dbt.type_string() }}) as unit_kind,
        cast(units.district_code as {{ dbt.type_string() }}) as district_code,
        cast(units.township_code as {{ dbt.type_string() }}) as township_code,
        days.as_of_date,
        cast(coalesce(counted.open_leads, 0) as {{ dbt.type_bigint() }}) as open_leads,
        cast(coalesce(counted.overdue_leads, 0) as {{ dbt.type_bigint() }}) as overdue_leads,
        cast(coalesce(counted.new_leads, 0) as {{ dbt.type_bigint() }}) as new_leads
    from units
    cross join days
    left join counted on units.unit_code = counted.unit_code and days.as_of_date = counted.as_of_date
)

select * from final
