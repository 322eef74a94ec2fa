-- Each current case with its victim linked to prior leads and cases, its bands, member unit and month.
--   is_post_warning (预后被骗): a lead of any type for the same person was issued before the case
--     occurred, at most 365 days before (calendar days between the two dates: day 365 in, day 366 out);
--   is_repeat_victim (重复被骗): the same person already had a case that occurred earlier;
--   loss_band: [0, 10000) / [10000, 50000) / [50000, ∞) 元 from seeds/loss_bands.csv;
--   age_band: from seeds/age_bands.csv ([lower, upper) years).
with cases as (
    select * from {{ ref('stg_landing__cases') }}
),

matches as (
    select * from {{ ref('int_case_person_matches') }}
),

employers as (
    select * from {{ ref('int_employers_mapped') }}
),

loss_bands as (
    select * from {{ ref('loss_bands') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

warning_leads as (
    select
        case_id,
        prior_id as prior_alert_id,
        prior_at as prior_alert_issued_at,
        days_before,
        row_number() over (partition by case_id order by prior_at desc, prior_id desc) as recency_rank
    from matches
    where prior_kind = 'lead' and days_before <= 365
),

latest_warning_leads as (
    select * from warning_leads where recency_rank = 1
),

earlier_cases as (
    select
        case_id,
        prior_id as prior_case_id,
        row_number() over (partition by case_id order by prior_at desc, prior_id desc) as recency_rank
    from matches
    where prior_kind = 'case'
),

latest_earlier_cases as (
    select * from earlier_cases where recency_rank = 1
),

final as (
    select
        cases.case_id,
        cases.reported_at,
        cases.occurred_at,
        {{ fanzha.month_start('cases.occurred_at') }} as month,
        cases.person_key,
        cases.id_key,
        cases.phone_key,
        cases.name_masked,
        cases.phone_masked,
        cases.gender,
        cases.age,
        age_bands.age_band,
        cases.occupation,
        cases.employer,
        employers.employer_system,
        case when employers.member_unit_key is not null
            then {{ dbt.concat(['cases.district_code', 'employers.member_unit_key']) }} end as member_unit_code,
        cases.district_code,
        cases.township_code,
        cases.village_code,
        cases.fraud_type,
        cases.loss_amount,
        coalesce(cases.recovered_amount, 0) as recovered_amount,
        loss_bands.loss_band,
        cases.police_station,
        (latest_warning_leads.case_id is not null) as is_post_warning,
        latest_warning_leads.prior_alert_id,
        latest_warning_leads.prior_alert_issued_at,
        latest_warning_leads.days_before as days_since_prior_alert,
        (latest_earlier_cases.case_id is not null) as is_repeat_victim,
        latest_earlier_cases.prior_case_id
    from cases
    left join latest_warning_leads on cases.case_id = latest_warning_leads.case_id
    left join latest_earlier_cases on cases.case_id = latest_earlier_cases.case_id
    left join employers on cases.employer = employers.employer
    left join loss_bands
        on cases.loss_amount >= loss_bands.lower_yuan
        and (loss_bands.upper_yuan is null or cases.loss_amount < loss_bands.upper_yuan)
    left join age_bands
        on cases.age >= age_bands.lower_age
        and (age_bands.upper_age is null or cases.age < age_bands.upper_age)
)

select * from final
