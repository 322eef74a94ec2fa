-- Grain: unit_code × month, only where something happened (kpi marts fill in the zeros).
-- Units are districts, townships, villages and member units; a record counts for each unit it
-- belongs to (macro unit_memberships). Months: a lead's is issued_at's, a case's occurred_at's, an
-- interception's stopped_at's, an activity's activity_date's. Process counts (fund_*) are over the
-- fund-warning leads (资金预警) issued in the month, counting every contact whenever it happened.
{{ config(**fanzha.incremental_by_month()) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with leads as (
    select * from {{ ref('int_alerts_lifecycle_joined') }}
    where {{ fanzha.invalidated_months_filter('month') }}
),

cases as (
    select * from {{ ref('int_cases_linked') }}
    where {{ fanzha.invalidated_months_filter('month') }}
),

interceptions as (
    select * from {{ ref('int_interceptions_attributed') }}
    where {{ fanzha.invalidated_months_filter('month') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
    where {{ fanzha.invalidated_months_filter('month') }}
),

lead_memberships as (
    {{ fanzha.unit_memberships('leads', [
        'month', 'is_fund_warning', 'amount_at_risk', 'contacted', 'minutes_to_first_contact',
        'first_contact_within_60min', 'is_overdue_first_contact', 'face_to_face', 'four_party', 'three_clear', 'checklist_done',
        'follow_up_done', 'dissuaded', 'intercepted_amount'
    ]) }}
),

lead_measures as (
    select
        unit_code,
        month,
        count(*) as leads,
        {{ fanzha.count_where("is_fund_warning") }} as fund_leads,
        {{ fanzha.exact_sum('coalesce(amount_at_risk, 0)') }} as amount_at_risk,
        {{ fanzha.count_where("contacted") }} as leads_contacted,
        {{ fanzha.count_where("is_fund_warning and contacted") }} as fund_leads_contacted,
        {{ fanzha.median('case when is_fund_warning then minutes_to_first_contact end') }}
            as median_minutes_to_first_contact,
        {{ fanzha.count_where("is_fund_warning and first_contact_within_60min") }} as fund_within_60min,
        {{ fanzha.count_where("is_fund_warning and is_overdue_first_contact") }} as fund_overdue,
        {{ fanzha.count_where("is_fund_warning and face_to_face") }} as fund_face_to_face,
        {{ fanzha.count_where("is_fund_warning and four_party") }} as fund_four_party,
        {{ fanzha.count_where("is_fund_warning and three_clear") }} as fund_three_clear,
        {{ fanzha.count_where("is_fund_warning and checklist_done") }} as fund_checklist,
        {{ fanzha.count_where("is_fund_warning and follow_up_done") }} as fund_follow_up,
        {{ fanzha.count_where("is_fund_warning and dissuaded") }} as fund_dissuaded,
        {{ fanzha.exact_sum('case when is_fund_warning then coalesce(amount_at_risk, 0) else 0 end') }}
            as fund_amount_at_risk,
        {{ fanzha.exact_sum('case when is_fund_warning then intercepted_amount else 0 end') }}
            as fund_intercepted_amount
    from lead_memberships
    group by unit_code, month
),

case_memberships as (
    {{ fanzha.unit_memberships('cases', [
        'month', 'loss_amount', 'recovered_amount', 'is_post_warning', 'is_repeat_victim'
    ]) }}
),

case_measures as (
    select
        unit_code,
        month,
        count(*) as cases,
        {{ fanzha.exact_sum('loss_amount') }} as loss_amount,
        {{ fanzha.exact_sum('recovered_amount') }} as recovered_amount,
        {{ fanzha.count_where("is_post_warning") }} as post_warning_victims,
        {{ fanzha.count_where("is_repeat_victim") }} as repeat_victims
    from case_memberships
    group by unit_code, month
),

interception_memberships as (
    {{ fanzha.unit_memberships('interceptions', ['month', 'amount']) }}
),

interception_measures as (
    select unit_code, month, {{ fanzha.exact_sum('amount') }} as intercepted_amount
    from interception_memberships
    group by unit_code, month
),

activity_memberships as (
    select unit_code, month, activity_kind from activities
    union all
    select district_code as unit_code, month, activity_kind from activities
),

activity_measures as (
    select
        unit_code,
        month,
        {{ fanzha.count_where("activity_kind = '反诈培训'") }} as activities_training,
        {{ fanzha.count_where("activity_kind = '反诈宣传'") }} as activities_publicity,
        {{ fanzha.count_where("activity_kind = '警示教育'") }} as activities_warning_education,
        {{ fanzha.count_where("activity_kind = '督导检查'") }} as activities_supervision,
        count(*) as activities_total
    from activity_memberships
    group by unit_code, month
),

unit_months as (
    select unit_code, month from lead_measures
    union
    select unit_code, month from case_measures
    union
    select unit_code, month from interception_measures
    union
    select unit_code, month from activity_measures
),

final as (
    select
        unit_months.unit_code,
        unit_months.month,
        lead_measures.leads,
        lead_measures.fund_leads,
        lead_measures.amount_at_risk,
        lead_measures.leads_contacted,
        lead_measures.fund_leads_contacted,
        lead_measures.median_minutes_to_first_contact,
        lead_measures.fund_within_60min,
        lead_measures.fund_overdue,
        lead_measures.fund_face_to_face,
        lead_measures.fund_four_party,
        lead_measures.fund_three_clear,
        lead_measures.fund_checklist,
        lead_measures.fund_follow_up,
        lead_measures.fund_dissuaded,
        lead_measures.fund_amount_at_risk,
        lead_measures.fund_intercepted_amount,
        interception_measures.intercepted_amount,
        case_measures.cases,
        case_measures.loss_amount,
        case_measures.recovered_amount,
        case_measures.post_warning_victims,
        case_measures.repeat_victims,
        activity_measures.activities_training,
        activity_measures.activities_publicity,
        activity_measures.activities_warning_education,
        activity_measures.activities_supervision,
        activity_measures.activities_total
    from unit_months
    left join lead_measures
        on unit_months.unit_code = lead_measures.unit_code and unit_months.month = lead_measures.month
    left join case_measures
        on unit_months.unit_code = case_measures.unit_code and unit_months.month = case_measures.month
    left join interception_measures
        on unit_months.unit_code = interception_measures.unit_code
        and unit_months.month = interception_measures.month
    left join activity_measures
        on unit_months.unit_code = activity_measures.unit_code and unit_months.month = activity_measures.month
)

select * from final
