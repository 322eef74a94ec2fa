-- Grain: unit_code × indicator. Each township's and member unit's process indicators (scoring scheme group
-- 过程) month to date — the month of the cut-off, up to the cut-off — against the scheme's targets.
-- Only indicators the scheme holds to an explicit target (normalisation `target`) are checked; minmax and
-- district_relative indicators have no target and are left out. Rates are compared as they are (a rate
-- with no fund lead yet this month has no value and misses nothing); counts and per-10,000 figures are
-- compared with the target pro-rated by the days elapsed (day of the cut-off ÷ days in the month).
with cut_off as (
    select cut_off_at, cut_off_month from {{ ref('watch_cut_off') }}
),

scheme as (
    select unit_kind, indicator, indicator_label, direction, target, scheme_version
    from {{ ref('scoring_scheme') }}
    where indicator_group = '过程' and normalisation = 'target' and target is not null
),

kpi_this_month as (
    select kpi.*
    from {{ ref('kpi_unit_monthly') }} as kpi
    inner join cut_off on kpi.month = cut_off.cut_off_month
    where kpi.unit_kind in ('township', 'member_unit')
),

indicator_values as (
    {{ scoring_unpivot_indicators('kpi_this_month') }}
),

fund_leads as (
    select unit_code, fund_leads from kpi_this_month
),

elapsed as (
    select
        cut_off_month,
        cast({{ fanzha.days_between('cut_off_month', 'cut_off_at') }} + 1 as {{ fanzha.type_double() }})
            / {{ fanzha.days_between('cut_off_month', fanzha.add_months('cut_off_month', 1)) }} as month_share
    from cut_off
),

compared as (
    select
        indicator_values.unit_code,
        indicator_values.unit_name,
        indicator_values.unit_kind,
        indicator_values.district_code,
        indicator_values.month,
        indicator_values.indicator,
        scheme.indicator_label,
        scheme.direction,
        indicator_values.raw_value as value,
        scheme.target,
        case when indicator_values.indicator in (
                {%- for name in fanzha.watch_rate_indicators() %}'{{ name }}'{% if not loop.last %}, {% endif %}{% endfor -%}
            ) then scheme.target
            else scheme.target * elapsed.month_share end as target_to_date,
        fund_leads.fund_leads,
        scheme.scheme_version
    from indicator_values
    inner join scheme
        on indicator_values.unit_kind = scheme.unit_kind and indicator_values.indicator = scheme.indicator
    inner join fund_leads on indicator_values.unit_code = fund_leads.unit_code
    cross join elapsed
),

final as (
    select
        cast(unit_code as {{ dbt.type_string() }}) as unit_code,
        cast(unit_name as {{ dbt.type_string() }}) as unit_name,
        cast(unit_kind as {{ dbt.type_string() }}) as unit_kind,
        cast(district_code as {{ dbt.type_string() }}) as district_code,
        month,
        cast(indicator as {{ dbt.type_string() }}) as indicator,
        cast(indicator_label as {{ dbt.type_string() }}) as indicator_label,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(value as {{ fanzha.type_double() }}) as value,
        cast(target as {{ fanzha.type_double() }}) as target,
        cast(target_to_date as {{ fanzha.type_double() }}) as target_to_date,
        cast(fund_leads as {{ dbt.type_bigint() }}) as fund_leads,
        coalesce(case direction
            when 'higher_better' then value < target_to_date
            else value > target_to_date end, false) as misses_target,
        cast(scheme_version as {{ dbt.type_string() }}) as scheme_version
    from compared
)

select * from final
