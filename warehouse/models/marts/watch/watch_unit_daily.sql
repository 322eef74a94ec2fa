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

-- Days as numbers from the first day (0 … last_day_n). On every day but the last, "as of the end of the day" is
-- midnight after it; on the last day it is the cut-off.
day_numbers as (
    select
        bounds.first_day,
        bounds.cut_off_at,
        {{ fanzha.days_between('bounds.first_day', 'bounds.last_day') }} as last_day_n
    from bounds
),

-- A step is pending at a moment when it has started (issued and its clock running) and is neither done nor
-- closed as a false alarm. start_at / end_at are those two moments (end_at null: still pending).
step_moments as (
    select
        steps.alert_id,
        steps.deadline_at,
        case when steps.clock_started_at > steps.issued_at then steps.clock_started_at else steps.issued_at end
            as start_at,
        case
            when steps.done_at is null then steps.false_alarm_at
            when steps.false_alarm_at is null then steps.done_at
            when steps.done_at < steps.false_alarm_at then steps.done_at
            else steps.false_alarm_at
        end as end_at
    from steps
    where steps.issued_at is not null and steps.clock_started_at is not null
),

-- The days a step is pending on, as one span of day numbers [first_n, last_n] (the moments "as of the end of a
-- day" only grow, so the days form one span). Day d (not the last) ends at midnight d + 1: pending when
-- start_at <= d + 1 < end_at, i.e. from the day before the first midnight at or after start_at to two days
-- before the first midnight at or after end_at. The last day is pending when start_at <= cut-off < end_at.
-- Overdue days are the pending days that end after the deadline: from the deadline's own day (on the last day,
-- only when the deadline is before the cut-off).
step_spans as (
    select
        step_moments.alert_id,
        step_moments.deadline_at,
        day_numbers.cut_off_at,
        day_numbers.last_day_n,
        case when lo_n < 0 then 0 else lo_n end as first_n,
        case
            when step_moments.start_at <= day_numbers.cut_off_at
                and (step_moments.end_at is null or day_numbers.cut_off_at < step_moments.end_at)
                then day_numbers.last_day_n
            when hi_n is null or hi_n > day_numbers.last_day_n - 1 then day_numbers.last_day_n - 1
            else hi_n
        end as last_n
    from (
        select
            step_moments.*,
            {{ fanzha.days_between('day_numbers.first_day', 'step_moments.start_at') }}
                + case when {{ fanzha.is_midnight('step_moments.start_at') }} then 0 else 1 end - 1 as lo_n,
            {{ fanzha.days_between('day_numbers.first_day', 'step_moments.end_at') }}
                + case when {{ fanzha.is_midnight('step_moments.end_at') }} then 0 else 1 end - 2 as hi_n
        from step_moments
        cross join day_numbers
    ) as step_moments
    cross join day_numbers
),

overdue_spans as (
    select alert_id, first_n, last_n
    from (
        select
            step_spans.alert_id,
            step_spans.last_n,
            step_spans.last_day_n,
            step_spans.deadline_at,
            step_spans.cut_off_at,
            case when deadline_n > step_spans.first_n then deadline_n else step_spans.first_n end as first_n
        from (
            select
                step_spans.*,
                {{ fanzha.days_between('day_numbers.first_day', 'step_spans.deadline_at') }} as deadline_n
            from step_spans
            cross join day_numbers
            where step_spans.deadline_at is not null
        ) as step_spans
    ) as spans
    where first_n <= last_n and (first_n < last_day_n or deadline_at < cut_off_at)
),

spans as (
    select 'open' as measure, alert_id, first_n, last_n from step_spans where first_n <= last_n
    union all
    select 'overdue' as measure, alert_id, first_n, last_n from overdue_spans
),

-- A lead is open (overdue) on a day when any of its steps is: its steps' spans merged into disjoint islands.
-- Equal spans are taken once, so (first_n, last_n) orders a lead's spans totally and both windows below see
-- the same order (with ties, each window may order them differently and an island may be cut wrongly).
distinct_spans as (
    select distinct measure, alert_id, first_n, last_n from spans
),

spans_reached as (
    select
        measure, alert_id, first_n, last_n,
        max(last_n) over (
            partition by measure, alert_id order by first_n, last_n rows between unbounded preceding and 1 preceding
        ) as reached_n
    from distinct_spans
),

spans_numbered as (
    select
        measure, alert_id, first_n, last_n,
        sum(case when reached_n is null or first_n > reached_n then 1 else 0 end) over (
            partition by measure, alert_id order by first_n, last_n rows between unbounded preceding and current row
        ) as island
    from spans_reached
),

islands as (
    select measure, alert_id, min(first_n) as first_n, max(last_n) as last_n
    from spans_numbered
    group by measure, alert_id, island
),

-- +1 on an island's first day, -1 the day after its last; a running sum over the days counts the leads.
lead_changes as (
    select alert_id, first_n as day_n,
        case when measure = 'open' then 1 else 0 end as open_change,
        case when measure = 'overdue' then 1 else 0 end as overdue_change,
        0 as is_new
    from islands
    union all
    select alert_id, last_n + 1,
        case when measure = 'open' then -1 else 0 end,
        case when measure = 'overdue' then -1 else 0 end,
        0
    from islands
    union all
    select issued.alert_id, {{ fanzha.days_between('day_numbers.first_day', 'issued.as_of_date') }}, 0, 0, 1
    from (select distinct alert_id, cast(issued_at as date) as as_of_date from steps) as issued
    cross join day_numbers
),

unit_changes as (
    {%- for level in ['district_code', 'township_code', 'member_unit_code'] %}
    select leads.{{ level }} as unit_code, lead_changes.day_n, lead_changes.open_change,
        lead_changes.overdue_change, lead_changes.is_new
    from lead_changes
    inner join leads on lead_changes.alert_id = leads.alert_id
    where leads.{{ level }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

changes as (
    select
        unit_code,
        day_n,
        sum(open_change) as open_change,
        sum(overdue_change) as overdue_change,
        sum(is_new) as new_leads
    from unit_changes
    group by unit_code, day_n
),

unit_days as (
    select
        units.unit_code,
        days.as_of_date,
        {{ fanzha.days_between('day_numbers.first_day', 'days.as_of_date') }} as day_n
    from units
    cross join days
    cross join day_numbers
),

counted as (
    select
        unit_days.unit_code,
        unit_days.as_of_date,
        sum(coalesce(changes.open_change, 0)) over (
            partition by unit_days.unit_code order by unit_days.day_n rows between unbounded preceding and current row
        ) as open_leads,
        sum(coalesce(changes.overdue_change, 0)) over (
            partition by unit_days.unit_code order by unit_days.day_n rows between unbounded preceding and current row
        ) as overdue_leads,
        coalesce(changes.new_leads, 0) as new_leads
    from unit_days
    left join changes on unit_days.unit_code = changes.unit_code and unit_days.day_n = changes.day_n
),

final as (
    select
        cast(units.unit_code as {{ dbt.type_string() }}) as unit_code,
        cast(units.unit_name as {{ dbt.type_string() }}) as unit_name,
        cast(units.unit_kind as {{ dbt.type_string() }}) as unit_kind,
        cast(units.district_code as {{ dbt.type_string() }}) as district_code,
        cast(units.township_code as {{ dbt.type_string() }}) as township_code,
        counted.as_of_date,
        cast(counted.open_leads as {{ dbt.type_bigint() }}) as open_leads,
        cast(counted.overdue_leads as {{ dbt.type_bigint() }}) as overdue_leads,
        cast(counted.new_leads as {{ dbt.type_bigint() }}) as new_leads
    from counted
    inner join units on counted.unit_code = units.unit_code
)

select * from final
