-- The districts in scope: the real district always; a synthetic clone (99xxxx) only when landed data
-- mentions it (so a scale-1 build has just 南和区).
with districts as (
    select * from {{ ref('districts') }}
),

landed_district_codes as (
    select district_code from {{ ref('stg_landing__alerts') }}
    union
    select district_code from {{ ref('stg_landing__cases') }}
    union
    select substring(unit_code, 1, 6) as district_code from {{ ref('stg_landing__activities') }}
),

final as (
    select
        districts.district_code,
        districts.district_name,
        districts.is_synthetic
    from districts
    where not districts.is_synthetic
        or districts.district_code in (select landed.district_code from landed_district_codes as landed)
)

select * from final
