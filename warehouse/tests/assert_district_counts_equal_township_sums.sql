-- Every lead and case lives in exactly one township, so the district's counts and money equal the sums
-- over its townships, month by month (a check that no record is lost or counted twice on the way).
-- The fund-lead stage counts (fanzha.kpi_fund_lead_counts) are per lead, so they add up too. Money is
-- compared to the cent. The one township-sum rule (the GX gate does not repeat it).
{%- set counts = ['leads', 'fund_leads', 'cases', 'post_warning_victims'] -%}
{%- for count_column, _source, _rate in fanzha.kpi_fund_lead_counts() -%}
    {%- do counts.append(count_column) -%}
{%- endfor %}
{%- set money = ['amount_at_risk', 'loss_amount', 'intercepted_amount'] %}
with township_sums as (
    select
        district_code,
        month,
        {%- for column in counts + money %}
        sum({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('kpi_unit_monthly') }}
    where unit_kind = 'township'
    group by district_code, month
),

mismatches as (
    select districts.district_code, districts.month
    from {{ ref('kpi_district_monthly') }} as districts
    left join township_sums
        on districts.district_code = township_sums.district_code and districts.month = township_sums.month
    where 1 = 0
        {%- for column in money %}
        or abs(coalesce(township_sums.{{ column }}, 0) - districts.{{ column }}) > 0.005
        {%- endfor %}
        {%- for column in counts %}
        or coalesce(township_sums.{{ column }}, 0) <> districts.{{ column }}
        {%- endfor %}
)

select * from mismatches
