-- Grain: action_id. One row per current contact, with its lead's place (null while the lead has not landed).
{{ config(**fanzha.incremental_by_month()) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with contacts as (
    select * from {{ ref('int_contacts_classified') }}
    where {{ fanzha.invalidated_months_filter('month') }}
),

leads as (
    select alert_id, issued_at, alert_type, district_code, township_code, village_code, member_unit_code
    from {{ ref('int_alerts_lifecycle_joined') }}
),

final as (
    select
        contacts.action_id,
        contacts.alert_id,
        contacts.action_at,
        contacts.month,
        contacts.action_kind,
        contacts.contact_method,
        contacts.is_face_to_face,
        contacts.police_present,
        contacts.leader_present,
        contacts.grid_worker_present,
        contacts.relative_present,
        contacts.checklist_done,
        contacts.facts_clear,
        contacts.situation_clear,
        contacts.policy_explained,
        contacts.is_three_clear,
        contacts.cut_off,
        contacts.outcome,
        contacts.handling_unit,
        (leads.alert_id is not null) as lead_landed,
        leads.issued_at as lead_issued_at,
        leads.alert_type as lead_alert_type,
        leads.district_code,
        leads.township_code,
        leads.village_code,
        leads.member_unit_code
    from contacts
    left join leads on contacts.alert_id = leads.alert_id
)

select * from final
