-- Grain: district_code × period × dimension × category. Victims of cases (one per case) by age band,
-- gender, occupation, employer system and fraud type, per period as in case_loss_bands. Missing values
-- are their own category (未知; 非成员单位 for employers mapping to no member unit's system).
with cases as (
    select * from {{ ref('fct_cases') }}
),

month_periods as (
    select * from {{ ref('int_months_periodised') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

fraud_types as (
    select * from {{ ref('fraud_types') }}
),

case_periods as (
    select cases.*, month_periods.period
    from cases
    inner join month_periods on cases.month = month_periods.month
),

categorised as (
    select case_periods.district_code, case_periods.period, 'age_band' as dimension,
        coalesce(age_bands.age_band_label, '未知') as category,
        coalesce(age_bands.display_order, 99) as category_order, case_periods.loss_amount
    from case_periods
    left join age_bands on case_periods.age_band = age_bands.age_band
    union all
    select district_code, period, 'gender', coalesce(gender, '未知'), 99, loss_amount from case_periods
    union all
    select district_code, period, 'occupation', coalesce(occupation, '未知'), 99, loss_amount from case_periods
    union all
    select district_code, period, 'employer_system', coalesce(employer_system, '非成员单位'), 99, loss_amount
    from case_periods
    union all
    select case_periods.district_code, case_periods.period, 'fraud_type',
        coalesce(case_periods.fraud_type, '未知'), coalesce(fraud_types.display_order, 99),
        case_periods.loss_amount
    from case_periods
    left join fraud_types on case_periods.fraud_type = fraud_types.fraud_type_name
),

counted as (
    select
        district_code,
        period,
        dimension,
        category,
        min(category_order) as category_order,
        count(*) as victims,
        {{ fanzha.exact_sum('loss_amount') }} as loss_amount
    from categorised
    group by district_code, period, dimension, category
),

final as (
    select
        cast(district_code as {{ dbt.type_string() }}) as district_code,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(dimension as {{ dbt.type_string() }}) as dimension,
        cast(category as {{ dbt.type_string() }}) as category,
        cast(category_order as integer) as category_order,
        cast(victims as bigint) as victims,
        {{ fanzha.safe_divide('victims', 'sum(victims) over (partition by district_code, period, dimension)') }}
            as share,
        cast(loss_amount as {{ fanzha.type_double() }}) as loss_amount
    from counted
)

select * from final
