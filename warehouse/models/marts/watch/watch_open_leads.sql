-- Grain: alert_id. Every watched lead still open at the cut-off (watch_cut_off), with the next step due.
-- As of the cut-off T: a lead is open when it was issued by T, no 误报 contact came by T, and at least one
-- owed step whose clock started by T was not done by T. A step is overdue when its deadline is before T
-- and it was not done by T; a step done late stops being overdue from the moment it is done. The next
-- step due is the open step with the earliest deadline (then the lower step_order). A lead counts for its
-- township of residence and for the member unit its employer maps to (both handle it).
with cut_off as (
    select cut_off_at from {{ ref('watch_cut_off') }}
),

steps as (
    select * from {{ ref('int_lead_steps_scheduled') }}
),

leads as (
    select * from {{ ref('int_alerts_lifecycle_joined') }}
),

units as (
    select unit_code, unit_name from {{ ref('int_units_expanded') }}
),

pending as (
    select
        steps.alert_id,
        steps.step,
        steps.step_label,
        steps.step_order,
        steps.deadline_at,
        cut_off.cut_off_at,
        (steps.deadline_at < cut_off.cut_off_at) as is_overdue
    from steps
    cross join cut_off
    where steps.issued_at <= cut_off.cut_off_at
        and steps.clock_started_at <= cut_off.cut_off_at
        and (steps.done_at is null or steps.done_at > cut_off.cut_off_at)
        and (steps.false_alarm_at is null or steps.false_alarm_at > cut_off.cut_off_at)
),

ranked as (
    select
        pending.*,
        row_number() over (partition by alert_id order by deadline_at, step_order) as urgency
    from pending
),

per_lead as (
    select
        alert_id,
        count(*) as open_steps,
        sum(case when is_overdue then 1 else 0 end) as overdue_steps,
        {{ dbt.listagg('case when is_overdue then step_label end', "'、'", 'order by step_order') }}
            as overdue_step_labels
    from pending
    group by alert_id
),

final as (
    select
        cast(leads.alert_id as {{ dbt.type_string() }}) as alert_id,
        leads.issued_at,
        cast(leads.alert_type as {{ dbt.type_string() }}) as alert_type,
        cast(leads.risk_level as {{ dbt.type_string() }}) as risk_level,
        cast(leads.district_code as {{ dbt.type_string() }}) as district_code,
        cast(leads.township_code as {{ dbt.type_string() }}) as township_code,
        cast(townships.unit_name as {{ dbt.type_string() }}) as township_name,
        cast(leads.village_code as {{ dbt.type_string() }}) as village_code,
        cast(villages.unit_name as {{ dbt.type_string() }}) as village_name,
        cast(leads.member_unit_code as {{ dbt.type_string() }}) as member_unit_code,
        cast(member_units.unit_name as {{ dbt.type_string() }}) as member_unit_name,
        cast(leads.name_masked as {{ dbt.type_string() }}) as name_masked,
        cast(leads.amount_at_risk as {{ fanzha.type_double() }}) as amount_at_risk,
        cast(ranked.step as {{ dbt.type_string() }}) as next_step,
        cast(ranked.step_label as {{ dbt.type_string() }}) as next_step_label,
        ranked.deadline_at as next_step_deadline,
        ranked.is_overdue,
        cast(case when ranked.is_overdue
            then {{ fanzha.minutes_between('ranked.deadline_at', 'ranked.cut_off_at') }} else 0 end
            as {{ fanzha.type_double() }}) as minutes_overdue,
        cast(per_lead.open_steps as {{ dbt.type_bigint() }}) as open_steps,
        cast(per_lead.overdue_steps as {{ dbt.type_bigint() }}) as overdue_steps,
        cast(per_lead.overdue_step_labels as {{ dbt.type_string() }}) as overdue_step_labels,
        ranked.cut_off_at
    from ranked
    inner join per_lead on ranked.alert_id = per_lead.alert_id
    inner join leads on ranked.alert_id = leads.alert_id
    left join units as townships on leads.township_code = townships.unit_code
    left join units as villages on leads.village_code = villages.unit_code
    left join units as member_units on leads.member_unit_code = member_units.unit_code
    where ranked.urgency = 1
)

select * from final
