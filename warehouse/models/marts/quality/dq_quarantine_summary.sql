-- Grain: feed × reason_code × field. Quarantined rows by why they were quarantined (field '-' when the
-- reason concerns the whole row), with the rows of the same reason over every feed and field
-- (`reason_rows`, the 数据质量 page's chart) and all quarantined rows (`total_rows`), so the page only selects.
with quarantined as (
    select * from {{ ref('stg_landing__quarantine') }}
),

counted as (
    select
        cast(feed as {{ dbt.type_string() }}) as feed,
        cast(reason_code as {{ dbt.type_string() }}) as reason_code,
        cast(coalesce(field, '-') as {{ dbt.type_string() }}) as field,
        cast(count(*) as bigint) as rows
    from quarantined
    group by feed, reason_code, coalesce(field, '-')
),

final as (
    select
        feed,
        reason_code,
        field,
        rows,
        cast(sum(rows) over (partition by reason_code) as bigint) as reason_rows,
        cast(sum(rows) over () as bigint) as total_rows
    from counted
)

select * from final
