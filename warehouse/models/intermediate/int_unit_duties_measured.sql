-- Grain: unit_code × month, only where something happened. What the member units' own duties leave
-- in the feeds beyond int_unit_monthly_measures' counts (docs/scoring.md §2); read by score_unit_monthly.
--   bank_stop_payments, bank_stop_amount: the month's (stopped_at) emergency stop-payments (紧急止付)
--     and freezes (冻结) on accounts at the bank: 开户银行 matched to seeds/bank_member_units.csv;
--   subscriber_refusals, subscriber_refusals_cut_off: the month's (issued_at) leads whose person
--     refused to cooperate in at least one contact (劝阻结果 拒不配合), counted for the operator that
--     issued the person's number segment (seeds/telecom_number_segments.csv), and of those the ones
--     with 断网断卡 recorded in at least one contact;
--   publicity_participants: participants of the unit's own 反诈宣传 work-log entries;
--   fund_leads, fund_leads_police_present, fund_leads_within_60min: on district rows (unit_code =
--     district code) only: the district's fund leads of the month, those with a police officer in at
--     least one contact, and those first contacted within 60 minutes.
with leads as (
    select * from {{ ref('int_alerts_lifecycle_joined') }}
),

contacts as (
    select * from {{ ref('int_contacts_classified') }}
),

interceptions as (
    select * from {{ ref('int_interceptions_attributed') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
),

bank_keywords as (
    select * from {{ ref('bank_member_units') }}
),

number_segments as (
    select * from {{ ref('telecom_number_segments') }}
),

bank_matches as (
    select
        interceptions.interception_id,
        interceptions.district_code,
        interceptions.month,
        interceptions.amount,
        bank_keywords.member_unit_key,
        row_number() over (
            partition by interceptions.interception_id
            order by bank_keywords.priority, {{ dbt.length('bank_keywords.bank_keyword') }} desc,
                bank_keywords.member_unit_key
        ) as match_rank
    from interceptions
    inner join bank_keywords
        on {{ dbt.position('bank_keywords.bank_keyword', 'interceptions.bank') }} > 0
    where interceptions.interception_method in ('紧急止付', '冻结')
        and interceptions.district_code is not null
),

bank_measures as (
    select
        {{ dbt.concat(['district_code', 'member_unit_key']) }} as unit_code,
        month,
        count(*) as bank_stop_payments,
        {{ fanzha.exact_sum('amount') }} as bank_stop_amount
    from bank_matches
    where match_rank = 1
    group by {{ dbt.concat(['district_code', 'member_unit_key']) }}, month
),

lead_refusals as (
    select
        alert_id,
        {{ fanzha.any_true("outcome = '拒不配合'") }} as refused,
        {{ fanzha.any_true('cut_off') }} as cut_off
    from contacts
    group by alert_id
),

subscriber_refusals as (
    select
        {{ dbt.concat(['leads.district_code', 'number_segments.member_unit_key']) }} as unit_code,
        leads.month,
        lead_refusals.cut_off
    from leads
    inner join lead_refusals on leads.alert_id = lead_refusals.alert_id
    inner join number_segments on substring(leads.phone_masked, 1, 3) = number_segments.segment
    where lead_refusals.refused and leads.district_code is not null
),

subscriber_measures as (
    select
        unit_code,
        month,
        count(*) as subscriber_refusals,
        sum(case when cut_off then 1 else 0 end) as subscriber_refusals_cut_off
    from subscriber_refusals
    group by unit_code, month
),

publicity_measures as (
    select
        unit_code,
        month,
        sum(coalesce(participants, 0)) as publicity_participants
    from activities
    where activity_kind = '反诈宣传' and unit_code is not null
    group by unit_code, month
),

district_lead_measures as (
    select
        district_code as unit_code,
        month,
        count(*) as fund_leads,
        sum(case when police_present then 1 else 0 end) as fund_leads_police_present,
        sum(case when first_contact_within_60min then 1 else 0 end) as fund_leads_within_60min
    from leads
    where is_fund_warning and district_code is not null
    group by district_code, month
),

unit_months as (
    select unit_code, month from bank_measures
    union
    select unit_code, month from subscriber_measures
    union
    select unit_code, month from publicity_measures
    union
    select unit_code, month from district_lead_measures
),

final as (
    select
        unit_months.unit_code,
        unit_months.month,
        cast(bank_measures.bank_stop_payments as bigint) as bank_stop_payments,
        cast(bank_measures.bank_stop_amount as {{ fanzha.type_double() }}) as bank_stop_amount,
        cast(subscriber_measures.subscriber_refusals as bigint) as subscriber_refusals,
        cast(subscriber_measures.subscriber_refusals_cut_off as bigint) as subscriber_refusals_cut_off,
        cast(publicity_measures.publicity_participants as bigint) as publicity_participants,
        cast(district_lead_measures.fund_leads as bigint) as fund_leads,
        cast(district_lead_measures.fund_leads_police_present as bigint) as fund_leads_police_present,
        cast(district_lead_measures.fund_leads_within_60min as bigint) as fund_leads_within_60min
    from unit_months
    left join bank_measures
        on unit_months.unit_code = bank_measures.unit_code and unit_months.month = bank_measures.month
    left join subscriber_measures
        on unit_months.unit_code = subscriber_measures.unit_code
        and unit_months.month = subscriber_measures.month
    left join publicity_measures
        on unit_months.unit_code = publicity_measures.unit_code and unit_months.month = publicity_measures.month
    left join district_lead_measures
        on unit_months.unit_code = district_lead_measures.unit_code
        and unit_months.month = district_lead_measures.month
)

select * from final
