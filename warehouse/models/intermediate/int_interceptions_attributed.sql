-- Each current interception with the place and person it belongs to: through its lead when it follows
-- one, else through its case. An interception whose lead and case are both unknown keeps null
-- geography (counted by the district only when its district is known; see dq tests).
with interceptions as (
    select * from {{ ref('stg_landing__interceptions') }}
),

leads as (
    select * from {{ ref('int_alerts_lifecycle_joined') }}
),

cases as (
    select * from {{ ref('int_cases_linked') }}
),

final as (
    select
        interceptions.interception_id,
        interceptions.alert_id,
        interceptions.case_id,
        interceptions.stopped_at,
        {{ fanzha.month_start('interceptions.stopped_at') }} as month,
        interceptions.interception_method,
        interceptions.amount,
        interceptions.bank,
        interceptions.police_station,
        leads.issued_at as lead_issued_at,
        leads.month as lead_month,
        leads.alert_type as lead_alert_type,
        case when leads.alert_id is not null then 'lead' when cases.case_id is not null then 'case' end
            as attributed_via,
        coalesce(leads.person_key, cases.person_key) as person_key,
        coalesce(leads.name_masked, cases.name_masked) as name_masked,
        coalesce(leads.district_code, cases.district_code) as district_code,
        coalesce(leads.township_code, cases.township_code) as township_code,
        coalesce(leads.village_code, cases.village_code) as village_code,
        case when leads.alert_id is not null then leads.member_unit_code else cases.member_unit_code end
            as member_unit_code
    from interceptions
    left join leads on interceptions.alert_id = leads.alert_id
    left join cases on interceptions.case_id = cases.case_id
)

select * from final
