-- Grain: feed. For each of the five feeds: the latest business moment among its current records (lead
-- issued, contact, interception stopped, case reported, activity date), when its latest file landed,
-- how many files landed and how many rows landed and were quarantined (from the ingestion ledger), and
-- how far behind it is: days from its latest record to the end of the latest month in which any feed has
-- a record. This is the one definition of freshness; the GX gate holds the window (expectations/rules.py).
with latest_records as (
    select 'alerts' as feed, max(issued_at) as latest_record_at from {{ ref('stg_landing__alerts') }}
    union all
    select 'contacts', max(action_at) from {{ ref('stg_landing__contacts') }}
    union all
    select 'interceptions', max(stopped_at) from {{ ref('stg_landing__interceptions') }}
    union all
    select 'cases', max(reported_at) from {{ ref('stg_landing__cases') }}
    union all
    select 'activities', max(cast(activity_date as {{ dbt.type_timestamp() }})) from {{ ref('stg_landing__activities') }}
),

ledger as (
    select
        feed,
        max(finished_at) as latest_file_loaded_at,
        count(*) as files,
        sum(rows_landed) as rows_landed,
        sum(rows_quarantined) as rows_quarantined
    from {{ ref('stg_landing__ingest_log') }}
    where status = 'landed'
    group by feed
),

period as (
    select
        cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', 'max(latest_record_at)')) }}
            as {{ dbt.type_timestamp() }}) as period_end
    from latest_records
),

final as (
    select
        cast(latest_records.feed as {{ dbt.type_string() }}) as feed,
        cast(latest_records.latest_record_at as {{ dbt.type_timestamp() }}) as latest_record_at,
        cast(ledger.latest_file_loaded_at as {{ dbt.type_timestamp() }}) as latest_file_loaded_at,
        cast(coalesce(ledger.files, 0) as bigint) as files,
        cast(coalesce(ledger.rows_landed, 0) as bigint) as rows_landed,
        cast(coalesce(ledger.rows_quarantined, 0) as bigint) as rows_quarantined,
        period.period_end,
        cast({{ dbt.datediff('latest_records.latest_record_at', 'period.period_end', 'day') }} as bigint)
            as days_behind
    from latest_records
    cross join period
    left join ledger on latest_records.feed = ledger.feed
)

select * from final
