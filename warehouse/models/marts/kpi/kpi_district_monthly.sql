-- Grain: district_code × month. The district's measures computed from the facts directly (medians are
-- not sums of township medians), every month of dim_months, with each headline measure's and rate's
-- previous month, same month last year and change (macro kpi_comparisons), plus rolling 12-month sums of
-- the main counts (null until 12 months of data are available), a year earlier, and their change.
-- Incremental by month: month m's rolling sum reads months m − 11 … m and its year-on-year change the sum of
-- month m − 12 (its other comparisons m − 1 and m − 12), so a rebuilt month also rebuilds the 23 months after it.
{% set rebuild_offsets = range(24) | list %}
{{ config(**fanzha.incremental_by_month(rebuild_offsets)) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with districts as (
    select * from {{ ref('dim_units') }}
    where unit_kind = 'district'
),

months as (
    select month from {{ ref('dim_months') }}
    where {{ fanzha.invalidated_months_lookback('month', 23) }}
),

measures as (
    select * from {{ ref('int_unit_monthly_measures') }}
),

grid_measures as (
    select
        districts.district_code,
        months.month,
        districts.population,
        measures.leads, measures.fund_leads, measures.amount_at_risk, measures.leads_contacted,
        measures.fund_leads_contacted, measures.median_minutes_to_first_contact, measures.fund_within_60min,
        measures.fund_overdue,
        measures.fund_face_to_face, measures.fund_four_party, measures.fund_three_clear,
        measures.fund_checklist, measures.fund_follow_up, measures.fund_dissuaded,
        measures.fund_amount_at_risk, measures.fund_intercepted_amount, measures.intercepted_amount,
        measures.cases, measures.loss_amount, measures.recovered_amount, measures.post_warning_victims,
        measures.repeat_victims, measures.activities_training, measures.activities_publicity,
        measures.activities_warning_education, measures.activities_supervision, measures.activities_total
    from districts
    cross join months
    left join measures
        on districts.district_code = measures.unit_code and months.month = measures.month
),

district_kpis as (
    select
        grid_measures.district_code,
        grid_measures.month,
        grid_measures.population,
        {{ fanzha.kpi_measure_columns('grid_measures') }}
    from grid_measures
),

with_previous as (
    select
        district_kpis.*,
        {{ fanzha.kpi_previous_columns('district_kpis', 'district_code') }}
    from district_kpis
),

with_rolling as (
    select
        with_previous.*,
        count(*) over (
            partition by district_code order by month rows between 11 preceding and current row
        ) as months_in_window
        {%- for measure in fanzha.kpi_yoy_measures() %},
        {{ fanzha.exact_sum(measure,
            over='partition by district_code order by month rows between 11 preceding and current row') }}
            as {{ measure }}_window_sum
        {%- endfor %}
    from with_previous
),

rolling as (
    select
        with_rolling.*
        {%- for measure in fanzha.kpi_yoy_measures() %},
        case when months_in_window = 12 then {{ measure }}_window_sum end as {{ measure }}_12m
        {%- endfor %}
    from with_rolling
),

rolling_prev_year as (
    select
        rolling.*
        {%- for measure in fanzha.kpi_yoy_measures() %},
        lag({{ measure }}_12m, 12) over (partition by district_code order by month) as {{ measure }}_12m_prev_year
        {%- endfor %}
    from rolling
),

final as (
    select
        district_code,
        month,
        population,
        leads, fund_leads, amount_at_risk, leads_contacted,
        {%- for count_column, _source, _rate in fanzha.kpi_fund_lead_counts() %}
        {{ count_column }},
        {%- endfor %}
        median_minutes_to_first_contact, contacted_rate, first_contact_within_60min_rate, face_to_face_rate,
        four_party_rate, three_clear_rate, checklist_rate, follow_up_rate, dissuaded_rate,
        intercepted_amount, intercepted_share, cases, loss_amount, recovered_amount, cases_per_10k,
        loss_per_10k, post_warning_victims, repeat_victims, activities_training, activities_publicity,
        activities_warning_education, activities_supervision, activities_total, activities_per_10k,
        {{ fanzha.kpi_previous_column_names('rolling_prev_year') }},
        {{ fanzha.kpi_change_columns('rolling_prev_year') }},
        {%- for measure in fanzha.kpi_yoy_measures() %}
        {%- set type_12m = fanzha.type_double() if measure in ['loss_amount', 'intercepted_amount'] else 'bigint' %}
        cast({{ measure }}_12m as {{ type_12m }}) as {{ measure }}_12m,
        cast({{ measure }}_12m_prev_year as {{ type_12m }}) as {{ measure }}_12m_prev_year,
        {{ fanzha.yoy(measure ~ '_12m', measure ~ '_12m_prev_year') }} as {{ measure }}_12m_yoy
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from rolling_prev_year
    where {{ fanzha.invalidated_months_filter('month', rebuild_offsets) }}
)

select * from final
