-- Quarantined rows (rows that failed validation), one per file row.
with quarantined as (
    select * from {{ source('landing', 'quarantine') }}
),

final as (
    select
        _file_id as source_file_id,
        _row_number as source_row_number,
        feed,
        reason_code,
        field,
        message
    from quarantined
)

select * from final
