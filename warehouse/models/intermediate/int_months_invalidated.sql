-- Grain: month. The months this build rebuilds in every month-partitioned model (macro invalidated_months), each
-- with why (`reasons`, comma-separated). A month is invalidated when it holds:
--   alerts, contacts, interceptions, cases, activities
--                          a version (old or new) of a record of that feed that a new file touched;
--   lead_of_contact        a lead whose contact changed (the lead's lifecycle summarises its contacts);
--   lead_of_interception   a lead whose interception changed (the money stopped on the lead);
--   contact_of_lead        a contact of a changed lead (fct_contacts carries the lead's place);
--   interception_of_lead   an interception of a changed lead (attributed through the lead);
--   interception_of_case   an interception of a changed case (attributed through the case);
--   post_warning_window    a case of the same person (ID or phone) as a changed lead, occurring after the lead and
--                          at most 366 days later (post-warning linkage looks back 365 days, int_cases_linked);
--   later_case_of_person   a later case of the same person as a changed case (repeat victims);
--   month_range_end        nothing but lies between the last month of the unchanged records and the last month of
--                          a changed one (a new month, a gap month without records, a month a correction emptied);
--   every_month:<why>      every month from the earliest to the latest, old or new, when the first month may have
--                          moved (first_month), a district may have entered or left the scope (district_scope), or
--                          the build starts from an empty file or --full-refresh (first_build: no file was recorded
--                          by an earlier build).
-- Later months that depend on a month (year-on-year, rolling 12 months, the previous month's rank) are added by each
-- model's rebuild offsets (macro invalidated_months), not here.
with changed as (
    select * from {{ ref('int_records_changed') }}
),

changed_records as (
    select distinct feed, record_id from changed
),

alerts as (
    select alert_id, district_code, {{ fanzha.month_start('issued_at') }} as month
    from {{ ref('stg_landing__alerts') }}
),

contacts as (
    select action_id, alert_id, {{ fanzha.month_start('action_at') }} as month
    from {{ ref('stg_landing__contacts') }}
),

interceptions as (
    select interception_id, alert_id, case_id, {{ fanzha.month_start('stopped_at') }} as month
    from {{ ref('stg_landing__interceptions') }}
),

cases as (
    select case_id, occurred_at, id_key, phone_key, district_code, {{ fanzha.month_start('occurred_at') }} as month
    from {{ ref('stg_landing__cases') }}
),

activities as (
    select activity_id, substring(unit_code, 1, 6) as district_code,
        {{ fanzha.month_start('activity_date') }} as month
    from {{ ref('stg_landing__activities') }}
),

record_months as (
    select month, feed as reason from changed
),

leads_of_changed_records as (
    select
        alerts.month,
        case when changed.feed = 'contacts' then 'lead_of_contact' else 'lead_of_interception' end as reason
    from changed
    inner join alerts on changed.alert_id = alerts.alert_id
    where changed.feed in ('contacts', 'interceptions')
),

contacts_of_changed_leads as (
    select contacts.month, 'contact_of_lead' as reason
    from contacts
    inner join changed_records
        on changed_records.feed = 'alerts' and contacts.alert_id = changed_records.record_id
),

interceptions_of_changed_leads as (
    select interceptions.month, 'interception_of_lead' as reason
    from interceptions
    inner join changed_records
        on changed_records.feed = 'alerts' and interceptions.alert_id = changed_records.record_id
),

interceptions_of_changed_cases as (
    select interceptions.month, 'interception_of_case' as reason
    from interceptions
    inner join changed_records
        on changed_records.feed = 'cases' and interceptions.case_id = changed_records.record_id
),

-- The same person: the same ID key or the same phone key (a superset of int_case_person_matches' rule).
cases_after_changed_leads as (
    select cases.month, cases.occurred_at, changed.event_at as issued_at
    from cases
    inner join changed on changed.feed = 'alerts' and cases.id_key = changed.id_key
    union all
    select cases.month, cases.occurred_at, changed.event_at as issued_at
    from cases
    inner join changed on changed.feed = 'alerts' and cases.phone_key = changed.phone_key
),

post_warning_window as (
    select month, 'post_warning_window' as reason
    from cases_after_changed_leads
    where occurred_at > issued_at and {{ fanzha.days_between('issued_at', 'occurred_at') }} <= 366
),

cases_after_changed_cases as (
    select cases.month, cases.occurred_at, changed.event_at as earlier_at
    from cases
    inner join changed on changed.feed = 'cases' and cases.id_key = changed.id_key
    union all
    select cases.month, cases.occurred_at, changed.event_at as earlier_at
    from cases
    inner join changed on changed.feed = 'cases' and cases.phone_key = changed.phone_key
),

later_case_of_person as (
    select month, 'later_case_of_person' as reason
    from cases_after_changed_cases
    where occurred_at > earlier_at
),

-- What no new file touched: its months and districts are the same before and after this build.
unchanged_alerts as (
    select alerts.month, alerts.district_code
    from alerts
    left join changed_records on changed_records.feed = 'alerts' and alerts.alert_id = changed_records.record_id
    where changed_records.record_id is null
),

unchanged_cases as (
    select cases.month, cases.district_code
    from cases
    left join changed_records on changed_records.feed = 'cases' and cases.case_id = changed_records.record_id
    where changed_records.record_id is null
),

unchanged_activities as (
    select activities.month, activities.district_code
    from activities
    left join changed_records
        on changed_records.feed = 'activities' and activities.activity_id = changed_records.record_id
    where changed_records.record_id is null
),

unchanged_contacts as (
    select contacts.month
    from contacts
    left join changed_records on changed_records.feed = 'contacts' and contacts.action_id = changed_records.record_id
    where changed_records.record_id is null
),

unchanged_interceptions as (
    select interceptions.month
    from interceptions
    left join changed_records
        on changed_records.feed = 'interceptions' and interceptions.interception_id = changed_records.record_id
    where changed_records.record_id is null
),

unchanged_months as (
    select month from unchanged_alerts
    union all select month from unchanged_cases
    union all select month from unchanged_activities
    union all select month from unchanged_contacts
    union all select month from unchanged_interceptions
),

unchanged_bounds as (
    select min(month) as first_month, max(month) as last_month from unchanged_months
),

changed_bounds as (
    select min(month) as first_month, max(month) as last_month from changed
),

steady_districts as (
    select district_code from unchanged_alerts
    union select district_code from unchanged_cases
    union select district_code from unchanged_activities
),

unsteady_districts as (
    select count(*) as districts
    from (select distinct district_code from changed where district_code is not null) as touched
    left join steady_districts on touched.district_code = steady_districts.district_code
    where steady_districts.district_code is null
),

files_recorded_before as (
    select count(*) as files
    from {{ ref('int_files_recorded') }}
    where recorded_by_invocation <> '{{ invocation_id }}'
),

span as (
    select
        case
            when files_recorded_before.files = 0 or unchanged_bounds.first_month is null
                then 'every_month:first_build'
            when changed_bounds.first_month < unchanged_bounds.first_month then 'every_month:first_month'
            when unsteady_districts.districts > 0 then 'every_month:district_scope'
        end as every_month_reason,
        case
            when unchanged_bounds.first_month is null or changed_bounds.first_month < unchanged_bounds.first_month
                then changed_bounds.first_month
            else unchanged_bounds.first_month
        end as first_month,
        case
            when unchanged_bounds.last_month is null or changed_bounds.last_month > unchanged_bounds.last_month
                then changed_bounds.last_month
            else unchanged_bounds.last_month
        end as last_month,
        unchanged_bounds.last_month as unchanged_last_month,
        changed_bounds.last_month as changed_last_month
    from unchanged_bounds
    cross join changed_bounds
    cross join unsteady_districts
    cross join files_recorded_before
),

offsets as (
    {{ fanzha.integers_0_to_9999() }}
),

every_month as (
    select {{ fanzha.add_months('span.first_month', 'offsets.n') }} as month, span.every_month_reason as reason
    from span
    cross join offsets
    where span.every_month_reason is not null
        and offsets.n <= {{ dbt.datediff('span.first_month', 'span.last_month', 'month') }}
),

month_range_end as (
    select {{ fanzha.add_months('span.unchanged_last_month', 'offsets.n') }} as month, 'month_range_end' as reason
    from span
    cross join offsets
    where span.changed_last_month > span.unchanged_last_month
        and offsets.n between 1 and {{ dbt.datediff('span.unchanged_last_month', 'span.changed_last_month', 'month') }}
),

reasons as (
    select month, reason from record_months
    union all select month, reason from leads_of_changed_records
    union all select month, reason from contacts_of_changed_leads
    union all select month, reason from interceptions_of_changed_leads
    union all select month, reason from interceptions_of_changed_cases
    union all select month, reason from post_warning_window
    union all select month, reason from later_case_of_person
    union all select month, reason from month_range_end
    union all select month, reason from every_month
),

distinct_reasons as (
    select distinct month, reason from reasons where month is not null
),

final as (
    select
        month,
        cast({{ fanzha.listagg_ordered('reason', "', '", ['reason']) }} as {{ dbt.type_string() }}) as reasons
    from distinct_reasons
    group by month
)

select * from final
