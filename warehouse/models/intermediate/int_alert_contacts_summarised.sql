-- The contacts of each lead, summarised (grain: alert_id of the contacts, including leads whose own
-- export has not landed yet). Every contact counts whenever it happened (calibration.md):
--   first_contact_at: the earliest action_at;
--   each of the four parties: took part in at least one contact; four_party: all four did;
--   three_clear (三清): all three clear within at least one single contact (a lead whose facts were
--     established in one visit and the policy explained in another is not 三清 complete: each visit's
--     record must close the loop on its own);
--   checklist_done (三必问两告知): followed in at least one contact;
--   outcome: of the latest contact (by action_at, then action_id); dissuaded: that outcome is 劝阻成功;
--   follow_up_done: at least one 回访; escalated: at least one 提级劝阻.
with contacts as (
    select * from {{ ref('int_contacts_classified') }}
),

ordered as (
    select
        contacts.*,
        row_number() over (
            partition by contacts.alert_id order by contacts.action_at desc, contacts.action_id desc
        ) as recency_rank
    from contacts
),

latest_outcomes as (
    select alert_id, outcome
    from ordered
    where recency_rank = 1
),

summarised as (
    select
        alert_id,
        count(*) as contacts,
        min(action_at) as first_contact_at,
        max(action_at) as last_contact_at,
        {{ fanzha.any_true('is_face_to_face') }} as face_to_face,
        {{ fanzha.any_true('police_present') }} as police_present,
        {{ fanzha.any_true('leader_present') }} as leader_present,
        {{ fanzha.any_true('grid_worker_present') }} as grid_worker_present,
        {{ fanzha.any_true('relative_present') }} as relative_present,
        {{ fanzha.any_true('is_three_clear') }} as three_clear,
        {{ fanzha.any_true('checklist_done') }} as checklist_done,
        {{ fanzha.any_true("action_kind = '回访'") }} as follow_up_done,
        {{ fanzha.any_true("action_kind = '提级劝阻'") }} as escalated,
        {{ fanzha.any_true('cut_off') }} as cut_off
    from contacts
    group by alert_id
),

final as (
    select
        summarised.alert_id,
        summarised.contacts,
        summarised.first_contact_at,
        summarised.last_contact_at,
        summarised.face_to_face,
        summarised.police_present,
        summarised.leader_present,
        summarised.grid_worker_present,
        summarised.relative_present,
        (summarised.police_present and summarised.leader_present
            and summarised.grid_worker_present and summarised.relative_present) as four_party,
        summarised.three_clear,
        summarised.checklist_done,
        latest_outcomes.outcome,
        (latest_outcomes.outcome = '劝阻成功') as dissuaded,
        summarised.follow_up_done,
        summarised.escalated,
        summarised.cut_off
    from summarised
    inner join latest_outcomes on summarised.alert_id = latest_outcomes.alert_id
)

select * from final
