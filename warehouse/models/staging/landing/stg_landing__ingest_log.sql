-- The ingestion ledger: one row per file seen, with its row accounting.
with ledger as (
    select * from {{ source('landing', 'ingest_log') }}
),

final as (
    select
        _file_id as source_file_id,
        file_name,
        sha256,
        feed,
        format as file_format,
        encoding,
        header_language,
        cast(rows_read as bigint) as rows_read,
        cast(rows_landed as bigint) as rows_landed,
        cast(rows_quarantined as bigint) as rows_quarantined,
        cast(rows_duplicate as bigint) as rows_duplicate,
        status,
        message,
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(finished_at as {{ dbt.type_timestamp() }}) as finished_at
    from ledger
)

select * from final
