-- Current version of each work-log entry (工作台账), typed and renamed.
with current_activities as (
    {{ current_version(source('landing', 'activities'), 'activity_id') }}
),

final as (
    select
        cast(activity_id as {{ dbt.type_string() }}) as activity_id,
        cast(activity_date as date) as activity_date,
        unit_raw,
        cast(unit_code as {{ dbt.type_string() }}) as unit_code,
        activity_kind,
        cast(participants as integer) as participants,
        _file_id as source_file_id,
        _file_name as source_file_name,
        _row_number as source_row_number
    from current_activities
)

select * from final
