-- kpi_unit_monthly has a row for every township, village and member unit and every month of dim_months.
with expected as (
    select units.unit_code, months.month
    from {{ ref('dim_units') }} as units
    cross join {{ ref('dim_months') }} as months
    where units.unit_kind in ('township', 'village', 'member_unit')
),

missing as (
    select expected.unit_code, expected.month
    from expected
    left join {{ ref('kpi_unit_monthly') }} as kpis
        on expected.unit_code = kpis.unit_code and expected.month = kpis.month
    where kpis.unit_code is null
)

select * from missing
