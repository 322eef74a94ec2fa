-- Grain: month. Every month from the earliest to the latest month of any landed event (lead issued,
-- contact, interception stopped, case occurred, activity), with its model year and Chinese label.
with event_months as (
    select min(issued_at) as first_at, max(issued_at) as last_at from {{ ref('stg_landing__alerts') }}
    union all
    select min(action_at), max(action_at) from {{ ref('stg_landing__contacts') }}
    union all
    select min(stopped_at), max(stopped_at) from {{ ref('stg_landing__interceptions') }}
    union all
    select min(occurred_at), max(occurred_at) from {{ ref('stg_landing__cases') }}
    union all
    select min(cast(activity_date as {{ dbt.type_timestamp() }})), max(cast(activity_date as {{ dbt.type_timestamp() }}))
    from {{ ref('stg_landing__activities') }}
),

bounds as (
    select
        {{ fanzha.month_start('min(first_at)') }} as first_month,
        {{ fanzha.month_start('max(last_at)') }} as last_month
    from event_months
),

offsets as (
    {{ fanzha.integers_0_to_9999() }}
),

months as (
    select {{ fanzha.add_months('bounds.first_month', 'offsets.n') }} as month
    from bounds
    cross join offsets
    where offsets.n <= {{ dbt.datediff('bounds.first_month', 'bounds.last_month', 'month') }}
),

final as (
    select
        month,
        cast(extract(year from month) as integer) as year,
        cast(extract(month from month) as integer) as month_of_year,
        cast(case
            when month >= cast('{{ var("y0_start") }}' as date) and month < cast('{{ var("y1_start") }}' as date)
                then 'Y0'
            when month >= cast('{{ var("y1_start") }}' as date) and month <= cast('{{ var("y1_end") }}' as date)
                then 'Y1'
        end as {{ dbt.type_string() }}) as model_year,
        {{ dbt.concat([
            'cast(extract(year from month) as ' ~ dbt.type_string() ~ ')', "'年'",
            'cast(extract(month from month) as ' ~ dbt.type_string() ~ ')', "'月'"
        ]) }} as month_label
    from months
)

select * from final
