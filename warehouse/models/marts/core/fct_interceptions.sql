-- Grain: interception_id. One row per current interception, with its lead's (else case's) person and place.
{{ config(**fanzha.incremental_by_month()) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with interceptions as (
    select * from {{ ref('int_interceptions_attributed') }}
    where {{ fanzha.invalidated_months_filter('month') }}
),

final as (
    select
        interception_id, alert_id, case_id, stopped_at, month, interception_method, amount, bank,
        police_station, lead_issued_at, lead_month, lead_alert_type, attributed_via, person_key,
        name_masked, district_code, township_code, village_code, member_unit_code
    from interceptions
)

select * from final
