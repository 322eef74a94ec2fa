-- Every earlier lead and earlier case of the same person as each case's victim (grain: case_id ×
-- prior_kind × prior_id). "Same person" (calibration.md) = the same resident ID, else the same phone:
--   * both records carry a valid ID key and the keys are equal; or
--   * at least one of the two has no valid ID key, and both carry the same phone key.
-- Two different ID keys are two people even when they share a phone. Pairwise rather than through
-- landing's person_key, so a phone-only record still links to a record that has the ID and that phone.
-- Written as two equi-joins (ID, phone) unioned, which every engine plans well.
-- Earlier = a lead issued strictly before the case occurred; a case that occurred strictly before.
with cases as (
    select case_id, occurred_at, id_key, phone_key
    from {{ ref('stg_landing__cases') }}
),

leads as (
    select alert_id, issued_at, id_key, phone_key
    from {{ ref('stg_landing__alerts') }}
),

leads_same_id as (
    select cases.case_id, 'lead' as prior_kind, leads.alert_id as prior_id, leads.issued_at as prior_at,
        'id' as matched_on
    from cases
    inner join leads on cases.id_key = leads.id_key
    where leads.issued_at < cases.occurred_at
),

leads_same_phone as (
    select cases.case_id, 'lead' as prior_kind, leads.alert_id as prior_id, leads.issued_at as prior_at,
        'phone' as matched_on
    from cases
    inner join leads on cases.phone_key = leads.phone_key
    where leads.issued_at < cases.occurred_at
        and (cases.id_key is null or leads.id_key is null)
),

cases_same_id as (
    select cases.case_id, 'case' as prior_kind, earlier.case_id as prior_id, earlier.occurred_at as prior_at,
        'id' as matched_on
    from cases
    inner join cases as earlier on cases.id_key = earlier.id_key
    where earlier.occurred_at < cases.occurred_at
),

cases_same_phone as (
    select cases.case_id, 'case' as prior_kind, earlier.case_id as prior_id, earlier.occurred_at as prior_at,
        'phone' as matched_on
    from cases
    inner join cases as earlier on cases.phone_key = earlier.phone_key
    where earlier.occurred_at < cases.occurred_at
        and (cases.id_key is null or earlier.id_key is null)
),

unioned as (
    select * from leads_same_id
    union all select * from leads_same_phone
    union all select * from cases_same_id
    union all select * from cases_same_phone
),

final as (
    select
        unioned.case_id,
        unioned.prior_kind,
        unioned.prior_id,
        unioned.prior_at,
        unioned.matched_on,
        {{ fanzha.days_between('unioned.prior_at', 'cases.occurred_at') }} as days_before
    from unioned
    inner join cases on unioned.case_id = cases.case_id
)

select * from final
