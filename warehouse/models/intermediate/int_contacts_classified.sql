-- Each current contact with the facts the lead lifecycle needs, derived per contact:
--   is_face_to_face: by 上门见面 or 警示室, or marked 是否见面 (calibration.md);
--   is_three_clear: 三清 — facts, present situation and policy all clear in this one contact;
--   is_dissuasion_success: outcome 劝阻成功.
with contacts as (
    select * from {{ ref('stg_landing__contacts') }}
),

final as (
    select
        contacts.action_id,
        contacts.alert_id,
        contacts.action_at,
        {{ fanzha.month_start('contacts.action_at') }} as month,
        contacts.action_kind,
        contacts.contact_method,
        contacts.face_to_face_marked,
        (contacts.contact_method in ('上门见面', '警示室') or coalesce(contacts.face_to_face_marked, false))
            as is_face_to_face,
        coalesce(contacts.police_present, false) as police_present,
        coalesce(contacts.leader_present, false) as leader_present,
        coalesce(contacts.grid_worker_present, false) as grid_worker_present,
        coalesce(contacts.relative_present, false) as relative_present,
        coalesce(contacts.checklist_done, false) as checklist_done,
        coalesce(contacts.facts_clear, false) as facts_clear,
        coalesce(contacts.situation_clear, false) as situation_clear,
        coalesce(contacts.policy_explained, false) as policy_explained,
        (coalesce(contacts.facts_clear, false)
            and coalesce(contacts.situation_clear, false)
            and coalesce(contacts.policy_explained, false)) as is_three_clear,
        coalesce(contacts.cut_off, false) as cut_off,
        contacts.outcome,
        (contacts.outcome = '劝阻成功') as is_dissuasion_success,
        contacts.handling_unit
    from contacts
)

select * from final
