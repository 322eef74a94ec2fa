-- Current version of each interception (止付记录), typed and renamed.
with current_interceptions as (
    {{ current_version(source('landing', 'interceptions'), 'interception_id') }}
),

final as (
    select
        cast(interception_id as {{ dbt.type_string() }}) as interception_id,
        cast(alert_id as {{ dbt.type_string() }}) as alert_id,
        cast(case_id as {{ dbt.type_string() }}) as case_id,
        cast(stopped_at as {{ dbt.type_timestamp() }}) as stopped_at,
        method as interception_method,
        cast(amount as {{ fanzha.type_double() }}) as amount,
        bank,
        account_key,
        police_station,
        _file_id as source_file_id,
        _file_name as source_file_name,
        _row_number as source_row_number
    from current_interceptions
)

select * from final
