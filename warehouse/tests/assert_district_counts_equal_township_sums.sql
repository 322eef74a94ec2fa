-- Every lead and case lives in exactly one township, so the district's counts and money equal the sums
-- over its townships, month by month (a check that no record is lost or counted twice on the way).
-- The fund-lead stage counts (fanzha.kpi_fund_lead_counts) are per lead, so they add up too.
{%- set counts = ['leads', 'fund_leads', 'cases', 'post_warning_victims'] -%}
{%- for count_column, _source, _rate in fanzha.kpi_fund_lead_counts() -%}
    {%- do counts.append(count_column) -%}
{%- endfor %}
with township_sums as (
    select
        district_code,
        month,
        {%- for column in counts %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        sum(loss_amount) as loss_amount
    from {{ ref('kpi_unit_monthly') }}
    where unit_kind = 'township'
    group by district_code, month
),

mismatches as (
    select districts.district_code, districts.month
    from {{ ref('kpi_district_monthly') }} as districts
    left join township_sums
        on districts.district_code = township_sums.district_code and districts.month = township_sums.month
    where abs(coalesce(township_sums.loss_amount, 0) - districts.loss_amount) > 0.005
        {%- for column in counts %}
        or coalesce(township_sums.{{ column }}, 0) <> districts.{{ column }}
        {%- endfor %}
)

select * from mismatches
