-- Grain: feed × record_id × source_file_id × source_row_number. Every landed version (old and new) of every
-- record that a file new to this build touched: a new record, a later export correcting an earlier one
-- ("the later file wins"), a late contact or interception. Old versions matter as much as new ones: a record
-- corrected to another month, person or lead leaves its old month, person and lead to be recomputed too.
-- A build from an empty file sees every record as changed.
with new_files as (
    select source_file_id
    from {{ ref('int_files_recorded') }}
    where recorded_by_invocation = '{{ invocation_id }}'
),

versions as (
    select * from {{ ref('stg_landing__record_versions') }}
),

touched as (
    select distinct versions.feed, versions.record_id
    from versions
    inner join new_files on versions.source_file_id = new_files.source_file_id
),

final as (
    select
        versions.feed,
        versions.record_id,
        versions.source_file_id,
        versions.source_row_number,
        (new_files.source_file_id is not null) as is_new_version,
        versions.event_at,
        {{ fanzha.month_start('versions.event_at') }} as month,
        versions.alert_id,
        versions.case_id,
        versions.id_key,
        versions.phone_key,
        versions.district_code
    from versions
    inner join touched on versions.feed = touched.feed and versions.record_id = touched.record_id
    left join new_files on versions.source_file_id = new_files.source_file_id
)

select * from final
