-- Every landed version of every record of the five feeds (not only the current one), narrowed to what the
-- incremental build needs to see which months a new export touches: the record, its event moment and the
-- keys through which it reaches other records (its lead, its case, its person, its district).
-- Ephemeral: inlined into int_records_changed, which keeps only the records a new file touched.
{{ config(materialized='ephemeral') }}

with alert_versions as (
    select
        'alerts' as feed,
        cast(alert_id as {{ dbt.type_string() }}) as record_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        cast(issued_at as {{ dbt.type_timestamp() }}) as event_at,
        cast(alert_id as {{ dbt.type_string() }}) as alert_id,
        cast(null as {{ dbt.type_string() }}) as case_id,
        id_key,
        phone_key,
        cast(district_code as {{ dbt.type_string() }}) as district_code
    from {{ source('landing', 'alerts') }}
),

contact_versions as (
    select
        'contacts' as feed,
        cast(action_id as {{ dbt.type_string() }}) as record_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        cast(action_at as {{ dbt.type_timestamp() }}) as event_at,
        cast(alert_id as {{ dbt.type_string() }}) as alert_id,
        cast(null as {{ dbt.type_string() }}) as case_id,
        cast(null as {{ dbt.type_string() }}) as id_key,
        cast(null as {{ dbt.type_string() }}) as phone_key,
        cast(null as {{ dbt.type_string() }}) as district_code
    from {{ source('landing', 'contacts') }}
),

interception_versions as (
    select
        'interceptions' as feed,
        cast(interception_id as {{ dbt.type_string() }}) as record_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        cast(stopped_at as {{ dbt.type_timestamp() }}) as event_at,
        cast(alert_id as {{ dbt.type_string() }}) as alert_id,
        cast(case_id as {{ dbt.type_string() }}) as case_id,
        cast(null as {{ dbt.type_string() }}) as id_key,
        cast(null as {{ dbt.type_string() }}) as phone_key,
        cast(null as {{ dbt.type_string() }}) as district_code
    from {{ source('landing', 'interceptions') }}
),

case_versions as (
    select
        'cases' as feed,
        cast(case_id as {{ dbt.type_string() }}) as record_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        cast(occurred_at as {{ dbt.type_timestamp() }}) as event_at,
        cast(null as {{ dbt.type_string() }}) as alert_id,
        cast(case_id as {{ dbt.type_string() }}) as case_id,
        id_key,
        phone_key,
        cast(district_code as {{ dbt.type_string() }}) as district_code
    from {{ source('landing', 'cases') }}
),

activity_versions as (
    select
        'activities' as feed,
        cast(activity_id as {{ dbt.type_string() }}) as record_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        cast(activity_date as {{ dbt.type_timestamp() }}) as event_at,
        cast(null as {{ dbt.type_string() }}) as alert_id,
        cast(null as {{ dbt.type_string() }}) as case_id,
        cast(null as {{ dbt.type_string() }}) as id_key,
        cast(null as {{ dbt.type_string() }}) as phone_key,
        cast(substring(unit_code, 1, 6) as {{ dbt.type_string() }}) as district_code
    from {{ source('landing', 'activities') }}
),

final as (
    select * from alert_versions
    union all select * from contact_versions
    union all select * from interception_versions
    union all select * from case_versions
    union all select * from activity_versions
)

select * from final
