-- Grain: month × period. The reporting periods a month belongs to: its model year ('Y0' or 'Y1', calibration.md),
-- 'Y0+Y1' (the two years the article's case analysis covers) and its calendar year 'YYYY'.
-- One definition for every mart that reports by period (case_loss_bands, victim_profile).
with months as (
    select * from {{ ref('dim_months') }}
),

model_years as (
    select month, model_year as period from months where model_year is not null
),

both_model_years as (
    select month, 'Y0+Y1' as period from months where model_year in ('Y0', 'Y1')
),

calendar_years as (
    select month, cast(year as {{ dbt.type_string() }}) as period from months
),

final as (
    select month, period from model_years
    union all
    select month, period from both_model_years
    union all
    select month, period from calendar_years
)

select * from final
