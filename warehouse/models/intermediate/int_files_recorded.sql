-- Grain: source_file_id. Every landed export file this build has taken in, with the dbt invocation that first
-- took it in. Incremental, append only: a file is recorded once, by the first build that sees it, so the rows
-- of this invocation are exactly the files landed since the build this one continues (the monthly run copies
-- its last build and builds on it: fanzha/pipeline/workbuild.py). A build from an empty file records every
-- landed file now. int_records_changed starts from this invocation's files.
{{ config(materialized='incremental', incremental_strategy='append') }}

with landed as (
    select source_file_id, feed, sha256
    from {{ ref('stg_landing__ingest_log') }}
    where status = 'landed'
),

final as (
    select
        landed.source_file_id,
        cast(landed.feed as {{ dbt.type_string() }}) as feed,
        cast(landed.sha256 as {{ dbt.type_string() }}) as sha256,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as recorded_by_invocation
    from landed
    {% if is_incremental() %}
    where landed.source_file_id not in (select recorded.source_file_id from {{ this }} as recorded)
    {% endif %}
)

select * from final
