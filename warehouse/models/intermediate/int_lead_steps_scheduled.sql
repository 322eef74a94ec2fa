{{ fanzha.watch_validate_rules(ref('handling_rules')) }}
-- The handling steps each watched lead owes (grain: alert_id × step), with when the step's clock started,
-- its deadline and when it was first done (seeds/handling_rules.csv; docs/watch.md). A lead is held to a
-- step when the rule applies to its type (资金预警 for fund_leads) and it was issued on or after the rule's
-- effective_from; a step whose clock never started (no refusal or unreachable contact for escalation) is
-- not owed and has no row. Done moments, from the lead's contacts whenever they happened:
--   first_contact: the earliest contact; face_to_face: the earliest face-to-face contact;
--   four_party: the moment the last of the four parties first took part; three_clear: the earliest contact
--   with all three clear; follow_up: the earliest 回访; escalation: the earliest 提级劝阻.
-- false_alarm_at (the earliest contact with outcome 误报) closes the lead from that moment on: the marts
-- read every "as of" state from these timestamps, so nothing is kept between runs.
with rules as (
    select
        step,
        step_label,
        cast(step_order as {{ dbt.type_bigint() }}) as step_order,
        clock_starts,
        cast(within_value as {{ dbt.type_bigint() }}) * case within_unit
            {%- for unit, minutes in fanzha.watch_within_units().items() %}
            when '{{ unit }}' then {{ minutes }}
            {%- endfor %}
        end as within_minutes,
        applies_to,
        cast(case when effective_from <> '' then effective_from end as date) as effective_from
    from {{ ref('handling_rules') }}
),

leads as (
    select alert_id, issued_at, alert_type
    from {{ ref('int_alerts_lifecycle_joined') }}
),

contacts as (
    select * from {{ ref('int_contacts_classified') }}
),

milestones as (
    select
        alert_id,
        min(action_at) as first_contact_at,
        min(case when is_face_to_face then action_at end) as face_to_face_at,
        min(case when police_present then action_at end) as police_at,
        min(case when leader_present then action_at end) as leader_at,
        min(case when grid_worker_present then action_at end) as grid_worker_at,
        min(case when relative_present then action_at end) as relative_at,
        min(case when is_three_clear then action_at end) as three_clear_at,
        min(case when action_kind = '回访' then action_at end) as follow_up_at,
        min(case when action_kind = '提级劝阻' then action_at end) as escalation_at,
        min(case when outcome in ('拒不配合', '无法联系') then action_at end) as refused_or_unreachable_at,
        min(case when outcome = '误报' then action_at end) as false_alarm_at
    from contacts
    group by alert_id
),

four_party_times as (
    select
        milestones.*,
        case when police_at is not null and leader_at is not null and grid_worker_at is not null
                and relative_at is not null
            then greatest(police_at, leader_at, grid_worker_at, relative_at) end as four_party_at
    from milestones
),

owed as (
    select
        leads.alert_id,
        leads.issued_at,
        rules.step,
        rules.step_label,
        rules.step_order,
        rules.within_minutes,
        case rules.clock_starts
            when 'issued' then leads.issued_at
            when 'refused_or_unreachable' then four_party_times.refused_or_unreachable_at
        end as clock_started_at,
        case rules.step
            when 'first_contact' then four_party_times.first_contact_at
            when 'face_to_face' then four_party_times.face_to_face_at
            when 'four_party' then four_party_times.four_party_at
            when 'three_clear' then four_party_times.three_clear_at
            when 'follow_up' then four_party_times.follow_up_at
            when 'escalation' then four_party_times.escalation_at
        end as done_at,
        four_party_times.false_alarm_at
    from leads
    cross join rules
    left join four_party_times on leads.alert_id = four_party_times.alert_id
    where (rules.applies_to = 'all_leads' or leads.alert_type = '资金预警')
        and (rules.effective_from is null or leads.issued_at >= rules.effective_from)
),

final as (
    select
        cast(alert_id as {{ dbt.type_string() }}) as alert_id,
        cast(step as {{ dbt.type_string() }}) as step,
        cast(step_label as {{ dbt.type_string() }}) as step_label,
        step_order,
        issued_at,
        clock_started_at,
        {{ dbt.dateadd('minute', 'within_minutes', 'clock_started_at') }} as deadline_at,
        done_at,
        coalesce(done_at > {{ dbt.dateadd('minute', 'within_minutes', 'clock_started_at') }}, false) as is_done_late,
        false_alarm_at
    from owed
    where clock_started_at is not null
)

select * from final
