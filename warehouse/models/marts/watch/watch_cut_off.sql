-- Grain: one row. The moment the watch is taken "as of": the var `watch_as_of` ('YYYY-MM-DD HH:MM:SS')
-- when set, else the latest business moment in the landed feeds (lead issued, contact, interception
-- stopped, case reported; activity dates carry no time and are left out). Events after it are ignored.
with latest_moments as (
    select max(issued_at) as latest_at from {{ ref('stg_landing__alerts') }}
    union all
    select max(action_at) from {{ ref('stg_landing__contacts') }}
    union all
    select max(stopped_at) from {{ ref('stg_landing__interceptions') }}
    union all
    select max(reported_at) from {{ ref('stg_landing__cases') }}
),

chosen as (
    select
        {%- if var('watch_as_of', none) %}
        cast('{{ var("watch_as_of") }}' as {{ dbt.type_timestamp() }}) as cut_off_at,
        'var' as cut_off_source
        {%- else %}
        max(latest_at) as cut_off_at,
        'data' as cut_off_source
        {%- endif %}
    from latest_moments
),

final as (
    select
        cast(cut_off_at as {{ dbt.type_timestamp() }}) as cut_off_at,
        cast(cut_off_source as {{ dbt.type_string() }}) as cut_off_source,
        {{ fanzha.month_start('cut_off_at') }} as cut_off_month
    from chosen
)

select * from final
