-- Current version of each contact (劝阻记录) with a warned person, typed and renamed.
with current_contacts as (
    {{ current_version(source('landing', 'contacts'), 'action_id') }}
),

final as (
    select
        cast(action_id as {{ dbt.type_string() }}) as action_id,
        cast(alert_id as {{ dbt.type_string() }}) as alert_id,
        cast(action_at as {{ dbt.type_timestamp() }}) as action_at,
        action_kind,
        method as contact_method,
        cast(face_to_face as {{ dbt.type_boolean() }}) as face_to_face_marked,
        cast(police_present as {{ dbt.type_boolean() }}) as police_present,
        cast(leader_present as {{ dbt.type_boolean() }}) as leader_present,
        cast(grid_worker_present as {{ dbt.type_boolean() }}) as grid_worker_present,
        cast(relative_present as {{ dbt.type_boolean() }}) as relative_present,
        cast(checklist_done as {{ dbt.type_boolean() }}) as checklist_done,
        cast(facts_clear as {{ dbt.type_boolean() }}) as facts_clear,
        cast(situation_clear as {{ dbt.type_boolean() }}) as situation_clear,
        cast(policy_explained as {{ dbt.type_boolean() }}) as policy_explained,
        cast(cut_off as {{ dbt.type_boolean() }}) as cut_off,
        outcome,
        handling_unit,
        _file_id as source_file_id,
        _file_name as source_file_name,
        _row_number as source_row_number
    from current_contacts
)

select * from final
