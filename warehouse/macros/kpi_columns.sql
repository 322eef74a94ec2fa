{#
  The measure columns shared by kpi_unit_monthly and kpi_district_monthly, from a relation `m` holding
  the sparse sums of int_unit_monthly_measures (null where nothing happened) and `population`.
  Zeros where nothing happened; rates in [0, 1], null when the denominator is 0 (docs/contracts.md §4).
#}
{% macro kpi_measure_columns(m) -%}
    {%- set dbl = fanzha.type_double() -%}
    cast(coalesce({{ m }}.leads, 0) as bigint) as leads,
    cast(coalesce({{ m }}.fund_leads, 0) as bigint) as fund_leads,
    cast(coalesce({{ m }}.amount_at_risk, 0) as {{ dbl }}) as amount_at_risk,
    cast(coalesce({{ m }}.leads_contacted, 0) as bigint) as leads_contacted,
    {%- for count_column, source_column, _rate in fanzha.kpi_fund_lead_counts() %}
    cast(coalesce({{ m }}.{{ source_column }}, 0) as bigint) as {{ count_column }},
    {%- endfor %}
    cast({{ m }}.median_minutes_to_first_contact as {{ dbl }}) as median_minutes_to_first_contact,
    {%- for count_column, source_column, rate_column in fanzha.kpi_fund_lead_counts() if rate_column %}
    {{ fanzha.safe_divide('coalesce(' ~ m ~ '.' ~ source_column ~ ', 0)', m ~ '.fund_leads') }} as {{ rate_column }},
    {%- endfor %}
    cast(coalesce({{ m }}.intercepted_amount, 0) as {{ dbl }}) as intercepted_amount,
    case when {{ m }}.fund_amount_at_risk > 0
        then least(cast(1 as {{ dbl }}), {{ m }}.fund_intercepted_amount / {{ m }}.fund_amount_at_risk)
    end as intercepted_share,
    cast(coalesce({{ m }}.cases, 0) as bigint) as cases,
    cast(coalesce({{ m }}.loss_amount, 0) as {{ dbl }}) as loss_amount,
    cast(coalesce({{ m }}.recovered_amount, 0) as {{ dbl }}) as recovered_amount,
    {{ fanzha.safe_divide('coalesce(' ~ m ~ '.cases, 0) * 10000', m ~ '.population') }} as cases_per_10k,
    {{ fanzha.safe_divide('coalesce(' ~ m ~ '.loss_amount, 0) * 10000', m ~ '.population') }} as loss_per_10k,
    cast(coalesce({{ m }}.post_warning_victims, 0) as bigint) as post_warning_victims,
    cast(coalesce({{ m }}.repeat_victims, 0) as bigint) as repeat_victims,
    cast(coalesce({{ m }}.activities_training, 0) as bigint) as activities_training,
    cast(coalesce({{ m }}.activities_publicity, 0) as bigint) as activities_publicity,
    cast(coalesce({{ m }}.activities_warning_education, 0) as bigint) as activities_warning_education,
    cast(coalesce({{ m }}.activities_supervision, 0) as bigint) as activities_supervision,
    cast(coalesce({{ m }}.activities_total, 0) as bigint) as activities_total,
    {{ fanzha.safe_divide('coalesce(' ~ m ~ '.activities_total, 0) * 10000', m ~ '.population') }}
        as activities_per_10k
{%- endmacro %}

{#
  The month's fund-warning leads (资金预警, the population of the process rates) at each stage of handling:
  (count column of the marts, sparse sum in int_unit_monthly_measures, rate column or none). Each rate is its
  count ÷ fund_leads, from the same expression, so rate × fund_leads = count by construction and the
  dashboards read counts instead of recomputing them. contacted_rate is the 已劝阻 share of the funnel;
  fund_leads_overdue (not contacted within the deadline) has no rate of its own: it is 1 − the 60-minute rate.
#}
{% macro kpi_fund_lead_counts() -%}
    {{ return([
        ('fund_leads_contacted', 'fund_leads_contacted', 'contacted_rate'),
        ('fund_leads_within_60min', 'fund_within_60min', 'first_contact_within_60min_rate'),
        ('fund_leads_overdue', 'fund_overdue', none),
        ('fund_leads_face_to_face', 'fund_face_to_face', 'face_to_face_rate'),
        ('fund_leads_four_party', 'fund_four_party', 'four_party_rate'),
        ('fund_leads_three_clear', 'fund_three_clear', 'three_clear_rate'),
        ('fund_leads_checklist', 'fund_checklist', 'checklist_rate'),
        ('fund_leads_follow_up', 'fund_follow_up', 'follow_up_rate'),
        ('fund_leads_dissuaded', 'fund_dissuaded', 'dissuaded_rate'),
    ]) }}
{%- endmacro %}

{# The rates of the kpi marts, in [0, 1], null when the denominator is 0. #}
{% macro kpi_rates() -%}
    {%- set rates = [] -%}
    {%- for _count, _source, rate_column in fanzha.kpi_fund_lead_counts() if rate_column -%}
        {%- do rates.append(rate_column) -%}
    {%- endfor -%}
    {%- do rates.append('intercepted_share') -%}
    {{ return(rates) }}
{%- endmacro %}

{# The main counts with rolling 12-month sums (kpi_district_monthly) and their year-on-year change. #}
{% macro kpi_yoy_measures() -%}
    {{ return(['leads', 'fund_leads', 'cases', 'loss_amount', 'intercepted_amount']) }}
{%- endmacro %}

{#
  What the headline cards compare, as (measure, type, relative, difference): every measure gets
  `<m>_prev_month` and `<m>_prev_year` (the same unit's value 1 and 12 months earlier; null before the data).
  relative: `<m>_mom` / `<m>_yoy` = (cur − prev) / prev, null when prev is 0 or unknown (counts and money).
  difference: `<m>_mom_change` / `<m>_yoy_change` = cur − prev, null when prev is unknown (rates, in rate
  units: 0.035 = 3.5 percentage points; post_warning_victims, a small count whose ratio is mostly undefined).
#}
{% macro kpi_comparisons() -%}
    {%- set dbl = fanzha.type_double() -%}
    {%- set comparisons = [
        ('leads', 'bigint', true, false),
        ('fund_leads', 'bigint', true, false),
        ('cases', 'bigint', true, false),
        ('loss_amount', dbl, true, false),
        ('intercepted_amount', dbl, true, false),
        ('post_warning_victims', 'bigint', true, true),
    ] -%}
    {%- for rate in fanzha.kpi_rates() -%}
        {%- do comparisons.append((rate, dbl, false, true)) -%}
    {%- endfor -%}
    {{ return(comparisons) }}
{%- endmacro %}

{#
  `<m>_prev_month` and `<m>_prev_year` for every compared measure of `relation`, by a window over the unit
  (`partition`) ordered by month. Relies on the unit × month grid being complete (every month present,
  zeros where nothing happened), which the kpi marts guarantee: lag 1 is the previous month, lag 12 the same
  month a year earlier.
#}
{% macro kpi_previous_columns(relation, partition) -%}
    {%- for measure, data_type, _relative, _difference in fanzha.kpi_comparisons() %}
    cast(lag({{ relation }}.{{ measure }}, 1) over (partition by {{ relation }}.{{ partition }} order by {{ relation }}.month)
        as {{ data_type }}) as {{ measure }}_prev_month,
    cast(lag({{ relation }}.{{ measure }}, 12) over (partition by {{ relation }}.{{ partition }} order by {{ relation }}.month)
        as {{ data_type }}) as {{ measure }}_prev_year{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{# The `<m>_prev_month` and `<m>_prev_year` column names, to list them in a final select. #}
{% macro kpi_previous_column_names(relation) -%}
    {%- for measure, _type, _relative, _difference in fanzha.kpi_comparisons() %}
    {{ relation }}.{{ measure }}_prev_month,
    {{ relation }}.{{ measure }}_prev_year{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{# The changes (see kpi_comparisons) from `relation`, which carries the measures and their previous values. #}
{% macro kpi_change_columns(relation) -%}
    {%- set columns = [] -%}
    {%- for measure, data_type, relative, difference in fanzha.kpi_comparisons() -%}
        {%- set cur = relation ~ '.' ~ measure -%}
        {%- for period in ['mom', 'yoy'] -%}
            {%- set prev = relation ~ '.' ~ measure ~ ('_prev_month' if period == 'mom' else '_prev_year') -%}
            {%- if relative -%}
                {%- do columns.append(fanzha.yoy(cur, prev) ~ ' as ' ~ measure ~ '_' ~ period) -%}
            {%- endif -%}
            {%- if difference -%}
                {%- do columns.append('cast(' ~ cur ~ ' - ' ~ prev ~ ' as ' ~ data_type ~ ') as '
                    ~ measure ~ '_' ~ period ~ '_change') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor %}
    {{ columns | join(', ') }}
{%- endmacro %}

{# Relative change (cur − prev) / prev, null when prev is 0 or null: `_yoy`, `_mom`, `_12m_yoy`. #}
{% macro yoy(current, previous) -%}
    {{ fanzha.safe_divide('(' ~ current ~ ' - ' ~ previous ~ ')', previous) }}
{%- endmacro %}
