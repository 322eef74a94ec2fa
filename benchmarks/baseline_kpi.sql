-- The bare-DuckDB baseline: the district-month KPI mart straight from the raw exports, in one script.
--
-- It is the floor the engine allows for fanzha's ingest + build: the same files, read with read_csv
-- (every column VARCHAR), values normalised, the current version of every record chosen (a later
-- export wins), then aggregated per district and month. No pseudonymisation, quarantine, lineage,
-- history, tests, or unit-level marts: only what the district KPIs need.
--
-- Input (prepared OUTSIDE the timed section by tools/bench/baseline.py): {root}/<feed>/<order>_<district>.csv,
-- UTF-8, one header row of the feed's column keys (title rows dropped, GB18030 transcoded, XLSX
-- converted to CSV), every file with the same header. <order> is the export order (month in the file name, revision, name).
-- {root} is substituted by the runner. Output: table kpi_district_monthly_baseline.

create or replace macro bl_clean(s) as nullif(trim(translate(s,
    '０１２３４５６７８９．，：－／　', '0123456789.,:-/ ')), '');
create or replace macro bl_ts(s) as case
    when s is null then null
    when regexp_full_match(s, '\d{5}(\.\d+)?')
        then timestamp '1899-12-30' + to_seconds(cast(round(cast(s as double) * 86400) as bigint))
    when regexp_full_match(s, '\d{8}') then try_strptime(s, '%Y%m%d')
    else try_strptime(
        rtrim(trim(regexp_replace(regexp_replace(regexp_replace(s, '[年月/.]', '-', 'g'), '[日号]\s*', ' ', 'g'),
                                  '\s*[时点分:]\s*', ':', 'g')), ':秒'),
        ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%d', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H'])
    end;
create or replace macro bl_money(s) as case
    when regexp_full_match(regexp_replace(upper(s), '[\s,¥元]|RMB|CNY|人民币', '', 'g'), '[+-]?(\d+\.?\d*|\.\d+)万?')
    then cast(replace(regexp_replace(upper(s), '[\s,¥元]|RMB|CNY|人民币', '', 'g'), '万', '') as double)
         * case when s like '%万%' then 10000 else 1 end
    end;
create or replace macro bl_yes(s) as upper(s) in ('是', 'Y', 'YES', '1', '√', '✓', 'TRUE', 'T', '有');
create or replace macro bl_order(f) as cast(regexp_extract(f, '(\d+)_(\d+)\.csv$', 1) as integer);
create or replace macro bl_district(f) as regexp_extract(f, '(\d+)_(\d+)\.csv$', 2);

create or replace table kpi_district_monthly_baseline as
with alerts_raw as (
    select * from read_csv('{root}/alerts/*.csv', all_varchar = true, filename = true,
                           delim = ',', quote = '"', escape = '"', header = true)
),
alerts as (
    select
        bl_clean(alert_id) as alert_id,
        bl_district(filename) as district_code,
        bl_ts(bl_clean(issued_at)) as issued_at,
        bl_clean(alert_type) as alert_type,
        bl_money(bl_clean(amount_at_risk)) as amount_at_risk
    from alerts_raw
    where bl_clean(alert_id) is not null
    qualify row_number() over (partition by bl_clean(alert_id)
                               order by bl_order(filename) desc) = 1
),
contacts_raw as (
    select * from read_csv('{root}/contacts/*.csv', all_varchar = true, filename = true,
                           delim = ',', quote = '"', escape = '"', header = true)
),
contacts as (
    select
        bl_clean(alert_id) as alert_id,
        bl_ts(bl_clean(action_at)) as action_at,
        bl_clean(method) as method,
        bl_yes(bl_clean(face_to_face)) as face_to_face,
        bl_clean(outcome) as outcome
    from contacts_raw
    where bl_clean(action_id) is not null
    qualify row_number() over (partition by bl_clean(action_id)
                               order by bl_order(filename) desc) = 1
),
lead_contacts as (
    select
        alert_id,
        min(action_at) as first_contact_at,
        bool_or(face_to_face or method in ('上门见面', '警示室')) as face_to_face,
        bool_or(outcome = '劝阻成功') as dissuaded
    from contacts
    where action_at is not null
    group by alert_id
),
interceptions_raw as (
    select * from read_csv('{root}/interceptions/*.csv', all_varchar = true, filename = true,
                           delim = ',', quote = '"', escape = '"', header = true)
),
interceptions as (
    select
        bl_district(filename) as district_code,
        bl_clean(alert_id) as alert_id,
        bl_ts(bl_clean(stopped_at)) as stopped_at,
        bl_money(bl_clean(amount)) as amount
    from interceptions_raw
    where bl_clean(interception_id) is not null
    qualify row_number() over (partition by bl_clean(interception_id)
                               order by bl_order(filename) desc) = 1
),
cases_raw as (
    select * from read_csv('{root}/cases/*.csv', all_varchar = true, filename = true,
                           delim = ',', quote = '"', escape = '"', header = true)
),
cases as (
    select
        bl_district(filename) as district_code,
        bl_ts(bl_clean(occurred_at)) as occurred_at,
        bl_money(bl_clean(loss_amount)) as loss_amount,
        bl_money(bl_clean(recovered_amount)) as recovered_amount
    from cases_raw
    where bl_clean(case_id) is not null
    qualify row_number() over (partition by bl_clean(case_id)
                               order by bl_order(filename) desc) = 1
),
activities_raw as (
    select * from read_csv('{root}/activities/*.csv', all_varchar = true, filename = true,
                           delim = ',', quote = '"', escape = '"', header = true)
),
activities as (
    select
        bl_district(filename) as district_code,
        bl_ts(bl_clean(activity_date)) as activity_date,
        bl_clean(activity_kind) as activity_kind
    from activities_raw
    where bl_clean(activity_id) is not null
    qualify row_number() over (partition by bl_clean(activity_id)
                               order by bl_order(filename) desc) = 1
),
lead_measures as (
    select
        alerts.district_code,
        date_trunc('month', alerts.issued_at) as month,
        count(*) as leads,
        count(*) filter (where alerts.alert_type = '资金预警') as fund_leads,
        sum(coalesce(alerts.amount_at_risk, 0)) as amount_at_risk,
        count(lead_contacts.alert_id) as leads_contacted,
        count(lead_contacts.alert_id) filter (where alerts.alert_type = '资金预警') as fund_leads_contacted,
        median(datediff('minute', alerts.issued_at, lead_contacts.first_contact_at))
            filter (where alerts.alert_type = '资金预警') as median_minutes_to_first_contact,
        count(*) filter (where alerts.alert_type = '资金预警'
                         and lead_contacts.first_contact_at <= alerts.issued_at + interval 60 minute)
            as fund_within_60min,
        count(*) filter (where alerts.alert_type = '资金预警' and lead_contacts.face_to_face) as fund_face_to_face,
        count(*) filter (where alerts.alert_type = '资金预警' and lead_contacts.dissuaded) as fund_dissuaded
    from alerts
    left join lead_contacts on alerts.alert_id = lead_contacts.alert_id
    where alerts.issued_at is not null
    group by all
),
interception_measures as (
    select district_code, date_trunc('month', stopped_at) as month, sum(amount) as intercepted_amount
    from interceptions
    where stopped_at is not null and amount >= 0
    group by all
),
case_measures as (
    select
        district_code,
        date_trunc('month', occurred_at) as month,
        count(*) as cases,
        sum(loss_amount) as loss_amount,
        sum(recovered_amount) as recovered_amount
    from cases
    where occurred_at is not null and loss_amount >= 0
    group by all
),
activity_measures as (
    select district_code, date_trunc('month', activity_date) as month, count(*) as activities_total
    from activities
    where activity_date is not null
    group by all
),
district_months as (
    select district_code, month from lead_measures
    union select district_code, month from interception_measures
    union select district_code, month from case_measures
    union select district_code, month from activity_measures
),
final as (
    select
        district_months.district_code,
        cast(district_months.month as date) as month,
        coalesce(lead_measures.leads, 0) as leads,
        coalesce(lead_measures.fund_leads, 0) as fund_leads,
        coalesce(lead_measures.amount_at_risk, 0) as amount_at_risk,
        coalesce(lead_measures.leads_contacted, 0) as leads_contacted,
        lead_measures.median_minutes_to_first_contact,
        lead_measures.fund_within_60min / nullif(lead_measures.fund_leads, 0) as first_contact_within_60min_rate,
        lead_measures.fund_face_to_face / nullif(lead_measures.fund_leads_contacted, 0) as face_to_face_rate,
        lead_measures.fund_dissuaded / nullif(lead_measures.fund_leads_contacted, 0) as dissuaded_rate,
        coalesce(interception_measures.intercepted_amount, 0) as intercepted_amount,
        coalesce(case_measures.cases, 0) as cases,
        coalesce(case_measures.loss_amount, 0) as loss_amount,
        coalesce(case_measures.recovered_amount, 0) as recovered_amount,
        coalesce(activity_measures.activities_total, 0) as activities_total
    from district_months
    left join lead_measures using (district_code, month)
    left join interception_measures using (district_code, month)
    left join case_measures using (district_code, month)
    left join activity_measures using (district_code, month)
)
select * from final
order by district_code, month;
