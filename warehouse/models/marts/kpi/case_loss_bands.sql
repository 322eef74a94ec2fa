-- Grain: district_code × period × loss_band. Cases by the month they occurred; periods are the model
-- years 'Y0' and 'Y1', 'Y0+Y1', and calendar years 'YYYY' (every band of every period, zeros included).
with cases as (
    select * from {{ ref('fct_cases') }}
),

month_periods as (
    select * from {{ ref('int_months_periodised') }}
),

districts as (
    select district_code from {{ ref('dim_units') }} where unit_kind = 'district'
),

loss_bands as (
    select * from {{ ref('loss_bands') }}
),

periods as (
    select distinct period from month_periods
),

grid as (
    select districts.district_code, periods.period, loss_bands.loss_band, loss_bands.loss_band_label,
        loss_bands.display_order
    from districts
    cross join periods
    cross join loss_bands
),

band_totals as (
    select
        cases.district_code,
        month_periods.period,
        cases.loss_band,
        count(*) as cases,
        {{ fanzha.exact_sum('cases.loss_amount') }} as loss_amount
    from cases
    inner join month_periods on cases.month = month_periods.month
    group by cases.district_code, month_periods.period, cases.loss_band
),

filled as (
    select
        grid.district_code,
        grid.period,
        grid.loss_band,
        grid.loss_band_label,
        grid.display_order,
        coalesce(band_totals.cases, 0) as cases,
        coalesce(band_totals.loss_amount, 0) as loss_amount
    from grid
    left join band_totals
        on grid.district_code = band_totals.district_code
        and grid.period = band_totals.period
        and grid.loss_band = band_totals.loss_band
),

final as (
    select
        cast(district_code as {{ dbt.type_string() }}) as district_code,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(loss_band as {{ dbt.type_string() }}) as loss_band,
        cast(loss_band_label as {{ dbt.type_string() }}) as loss_band_label,
        cast(display_order as integer) as display_order,
        cast(cases as bigint) as cases,
        {{ fanzha.safe_divide('cases', 'sum(cases) over (partition by district_code, period)') }} as case_share,
        cast(loss_amount as {{ fanzha.type_double() }}) as loss_amount,
        {{ fanzha.safe_divide('loss_amount', fanzha.exact_sum('loss_amount', over='partition by district_code, period')) }}
            as loss_share
    from filled
)

select * from final
