-- Grain: feed × source_file_id × source_row_number × flag. The flags of the current version of every landed
-- record (landing `_flags`, docs/contracts.md §3), one row each, so data-quality marts can count them: e.g.
-- `pii_in_text:village_raw:id` (a resident ID typed into 村(社区), masked at the door), `id_bad_checksum`.
with current_alerts as (
    {{ current_version(source('landing', 'alerts'), 'alert_id') }}
),

current_contacts as (
    {{ current_version(source('landing', 'contacts'), 'action_id') }}
),

current_interceptions as (
    {{ current_version(source('landing', 'interceptions'), 'interception_id') }}
),

current_cases as (
    {{ current_version(source('landing', 'cases'), 'case_id') }}
),

current_activities as (
    {{ current_version(source('landing', 'activities'), 'activity_id') }}
),

flagged as (
    select 'alerts' as feed, _file_id, _row_number, _flags from current_alerts
    union all
    select 'contacts' as feed, _file_id, _row_number, _flags from current_contacts
    union all
    select 'interceptions' as feed, _file_id, _row_number, _flags from current_interceptions
    union all
    select 'cases' as feed, _file_id, _row_number, _flags from current_cases
    union all
    select 'activities' as feed, _file_id, _row_number, _flags from current_activities
),

exploded as (
    select feed, _file_id, _row_number, {{ fanzha.explode_list('_flags') }} as flag
    from flagged
),

final as (
    select
        cast(feed as {{ dbt.type_string() }}) as feed,
        cast(_file_id as bigint) as source_file_id,
        cast(_row_number as integer) as source_row_number,
        cast(flag as {{ dbt.type_string() }}) as flag
    from exploded
)

select * from final
