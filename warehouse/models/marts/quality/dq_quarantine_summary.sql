-- Grain: feed × reason_code × field. Quarantined rows by why they were quarantined (field '-' when the
-- reason concerns the whole row).
with quarantined as (
    select * from {{ ref('stg_landing__quarantine') }}
),

final as (
    select
        cast(feed as {{ dbt.type_string() }}) as feed,
        cast(reason_code as {{ dbt.type_string() }}) as reason_code,
        cast(coalesce(field, '-') as {{ dbt.type_string() }}) as field,
        cast(count(*) as bigint) as rows
    from quarantined
    group by feed, reason_code, coalesce(field, '-')
)

select * from final
