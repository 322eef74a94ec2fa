-- Current version of each reported fraud case (案件), typed and renamed.
with current_cases as (
    {{ current_version(source('landing', 'cases'), 'case_id') }}
),

final as (
    select
        cast(case_id as {{ dbt.type_string() }}) as case_id,
        cast(reported_at as {{ dbt.type_timestamp() }}) as reported_at,
        cast(occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
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
        cast(loss_amount as {{ fanzha.type_double() }}) as loss_amount,
        cast(recovered_amount as {{ fanzha.type_double() }}) as recovered_amount,
        police_station,
        _file_id as source_file_id,
        _file_name as source_file_name,
        _row_number as source_row_number
    from current_cases
)

select * from final
