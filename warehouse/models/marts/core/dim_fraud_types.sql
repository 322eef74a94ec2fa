-- Grain: fraud_type_name. The national fraud-type taxonomy.
with fraud_types as (
    select * from {{ ref('fraud_types') }}
),

final as (
    select
        fraud_type_name,
        fraud_type_code,
        national_share_pct,
        display_order
    from fraud_types
)

select * from final
