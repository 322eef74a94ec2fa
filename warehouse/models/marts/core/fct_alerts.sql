-- Grain: alert_id. One row per current lead with its lifecycle (see int_alerts_lifecycle_joined).
{{ config(**fanzha.incremental_by_month()) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with leads as (
    select * from {{ ref('int_alerts_lifecycle_joined') }}
    where {{ fanzha.invalidated_months_filter('month') }}
),

final as (
    select
        alert_id, issued_at, month, risk_level, alert_type, is_fund_warning, alert_source,
        person_key, has_contact_key, name_masked, phone_masked, gender, age, occupation, employer,
        employer_system, member_unit_code, district_code, township_code, village_code, fraud_type,
        amount_at_risk, police_station, contacts, first_contact_at, minutes_to_first_contact,
        first_contact_within_60min, is_overdue_first_contact, first_contact_bucket,
        first_contact_bucket_label, first_contact_bucket_order, contacted, face_to_face, police_present, leader_present,
        grid_worker_present, relative_present, four_party, three_clear, checklist_done, outcome,
        dissuaded, follow_up_done, escalated, interceptions, intercepted_amount
    from leads
)

select * from final
