-- Every lead and case lives in exactly one township, so the district's counts and money equal the sums
-- over its townships, month by month (a check that no record is lost or counted twice on the way).
with township_sums as (
    select district_code, month, sum(leads) as leads, sum(fund_leads) as fund_leads, sum(cases) as cases,
        sum(loss_amount) as loss_amount, sum(post_warning_victims) as post_warning_victims
    from {{ ref('kpi_unit_monthly') }}
    where unit_kind = 'township'
    group by district_code, month
),

mismatches as (
    select districts.district_code, districts.month
    from {{ ref('kpi_district_monthly') }} as districts
    left join township_sums
        on districts.district_code = township_sums.district_code and districts.month = township_sums.month
    where coalesce(township_sums.leads, 0) <> districts.leads
        or coalesce(township_sums.fund_leads, 0) <> districts.fund_leads
        or coalesce(township_sums.cases, 0) <> districts.cases
        or abs(coalesce(township_sums.loss_amount, 0) - districts.loss_amount) > 0.005
        or coalesce(township_sums.post_warning_victims, 0) <> districts.post_warning_victims
)

select * from mismatches
