-- The lead lifecycle: each current lead with its contacts' summary, its member unit, its month and the
-- money stopped on it. Minutes to first contact run from issued_at to the earliest action_at; a contact
-- stamped before its lead was issued counts as 0 minutes (calibration.md). Within the deadline (var
-- first_contact_deadline_minutes, 60) = at most that many minutes; overdue = not contacted within it.
-- A contacted lead's first-contact bucket comes from seeds/first_contact_buckets.csv ((lower, upper]).
with alerts as (
    select * from {{ ref('stg_landing__alerts') }}
),

contact_summaries as (
    select * from {{ ref('int_alert_contacts_summarised') }}
),

employers as (
    select * from {{ ref('int_employers_mapped') }}
),

buckets as (
    select * from {{ ref('first_contact_buckets') }}
),

interception_totals as (
    select alert_id, {{ fanzha.exact_sum('amount') }} as intercepted_amount, count(*) as interceptions
    from {{ ref('stg_landing__interceptions') }}
    where alert_id is not null
    group by alert_id
),

joined as (
    select
        alerts.*,
        {{ fanzha.month_start('alerts.issued_at') }} as month,
        employers.employer_system,
        case when employers.member_unit_key is not null
            then {{ dbt.concat(['alerts.district_code', 'employers.member_unit_key']) }} end as member_unit_code,
        contact_summaries.contacts,
        contact_summaries.first_contact_at,
        contact_summaries.face_to_face,
        contact_summaries.police_present,
        contact_summaries.leader_present,
        contact_summaries.grid_worker_present,
        contact_summaries.relative_present,
        contact_summaries.four_party,
        contact_summaries.three_clear,
        contact_summaries.checklist_done,
        contact_summaries.outcome,
        contact_summaries.dissuaded,
        contact_summaries.follow_up_done,
        contact_summaries.escalated,
        interception_totals.intercepted_amount,
        interception_totals.interceptions
    from alerts
    left join contact_summaries on alerts.alert_id = contact_summaries.alert_id
    left join employers on alerts.employer = employers.employer
    left join interception_totals on alerts.alert_id = interception_totals.alert_id
),

timed as (
    select
        joined.*,
        case
            when first_contact_at is null then null
            when first_contact_at <= issued_at then 0.0
            else {{ fanzha.minutes_between('issued_at', 'first_contact_at') }}
        end as minutes_to_first_contact
    from joined
),

bucketed as (
    select
        timed.*,
        buckets.first_contact_bucket,
        buckets.first_contact_bucket_label,
        buckets.display_order as first_contact_bucket_order
    from timed
    left join buckets
        on timed.minutes_to_first_contact is not null
        and (buckets.lower_minutes is null or timed.minutes_to_first_contact > buckets.lower_minutes)
        and (buckets.upper_minutes is null or timed.minutes_to_first_contact <= buckets.upper_minutes)
),

final as (
    select
        alert_id,
        issued_at,
        month,
        risk_level,
        alert_type,
        (alert_type = '资金预警') as is_fund_warning,
        alert_source,
        person_key,
        id_key,
        phone_key,
        (person_key is not null) as has_contact_key,
        name_masked,
        phone_masked,
        gender,
        age,
        occupation,
        employer,
        employer_system,
        member_unit_code,
        district_code,
        township_code,
        village_code,
        fraud_type,
        amount_at_risk,
        police_station,
        coalesce(contacts, 0) as contacts,
        first_contact_at,
        cast(minutes_to_first_contact as {{ fanzha.type_double() }}) as minutes_to_first_contact,
        coalesce(minutes_to_first_contact <= {{ var('first_contact_deadline_minutes') }}, false)
            as first_contact_within_60min,
        not coalesce(minutes_to_first_contact <= {{ var('first_contact_deadline_minutes') }}, false)
            as is_overdue_first_contact,
        first_contact_bucket,
        first_contact_bucket_label,
        first_contact_bucket_order,
        (first_contact_at is not null) as contacted,
        coalesce(face_to_face, false) as face_to_face,
        coalesce(police_present, false) as police_present,
        coalesce(leader_present, false) as leader_present,
        coalesce(grid_worker_present, false) as grid_worker_present,
        coalesce(relative_present, false) as relative_present,
        coalesce(four_party, false) as four_party,
        coalesce(three_clear, false) as three_clear,
        coalesce(checklist_done, false) as checklist_done,
        outcome,
        coalesce(dissuaded, false) as dissuaded,
        coalesce(follow_up_done, false) as follow_up_done,
        coalesce(escalated, false) as escalated,
        coalesce(interceptions, 0) as interceptions,
        cast(coalesce(intercepted_amount, 0) as {{ fanzha.type_double() }}) as intercepted_amount
    from bucketed
)

select * from final
