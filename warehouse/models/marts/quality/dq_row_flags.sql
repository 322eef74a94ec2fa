-- Grain: feed × flag. How many current landed records carry each flag, e.g. `pii_in_text:village_raw:id`
-- (a resident ID typed into 村(社区), masked at the door) or `id_bad_checksum`: what the 数据质量 page counts.
with flags as (
    select * from {{ ref('stg_landing__row_flags') }}
),

final as (
    select
        cast(feed as {{ dbt.type_string() }}) as feed,
        cast(flag as {{ dbt.type_string() }}) as flag,
        cast(count(*) as bigint) as records
    from flags
    group by feed, flag
)

select * from final
