-- Grain: unit_code. Every unit of every district in scope (district, township, village, police station,
-- member unit) with its parent and population.
with units as (
    select * from {{ ref('int_units_expanded') }}
),

final as (
    select
        unit_code,
        unit_name,
        unit_kind,
        parent_code,
        district_code,
        township_code,
        population,
        registered_population
    from units
)

select * from final
