-- Current version of each warning lead (预警线索), typed and renamed.
with current_alerts as (
    {{ current_version(source('landing', 'alerts'), 'alert_id') }}
),

final as (
    select
        cast(alert_id as {{ dbt.type_string() }}) as alert_id,
        cast(issued_at as {{ dbt.type_timestamp() }}) as issued_at,
        coalesce(risk_level, '中') as risk_level,
        alert_type,
        source as alert_source,
        person_key,
        id_key,
        phone_key,
        phone_masked,
        name_masked,
        gender,
        cast(age as integer) as age,
        id_area_code,
        occupation_raw,
        occupation,
        employer,
        cast(district_code as {{ dbt.type_string() }}) as district_code,
        cast(township_code as {{ dbt.type_string() }}) as township_code,
        cast(village_code as {{ dbt.type_string() }}) as village_code,
        village_raw,
        fraud_type_raw,
        fraud_type,
        cast(amount_at_risk as {{ fanzha.type_double() }}) as amount_at_risk,
        counterparty_account_key,
        police_station,
        _file_id as source_file_id,
        _file_name as source_file_name,
        _row_number as source_row_number
    from current_alerts
)

select * from final
