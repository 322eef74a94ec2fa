-- Grain: case_id. One row per current case with post-warning / repeat-victim flags and bands.
{{ config(**fanzha.incremental_by_month()) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with cases as (
    select * from {{ ref('int_cases_linked') }}
    where {{ fanzha.invalidated_months_filter('month') }}
),

final as (
    select
        case_id, reported_at, occurred_at, month, person_key, name_masked, phone_masked, gender, age,
        age_band, occupation, employer, employer_system, member_unit_code, district_code, township_code,
        village_code, fraud_type, loss_amount, recovered_amount, loss_band, police_station,
        is_post_warning, prior_alert_id, prior_alert_issued_at, days_since_prior_alert,
        is_repeat_victim, prior_case_id
    from cases
)

select * from final
