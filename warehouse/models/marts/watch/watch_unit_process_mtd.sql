-- Grain: unit_code × indicator. Each township's and member unit's process indicators (scheme group 过程)
-- month to date — the month of the cut-off, up to the cut-off — against the scheme's targets, as scored in
-- score_unit_monthly (so only the indicators that apply to the unit: its kind and, for member units, its
-- system). Checked: indicators with an explicit target (normalisation `target`) whose value rests on the
-- unit's own data this month (has_own_data: a rate needs its own leads; a stop-payment count only ever
-- credits). Rates are compared as they are; counts and per-10,000 figures accumulate over the month, so
-- they are compared with the target pro-rated by the days elapsed (day of the cut-off ÷ days in the month).
with cut_off as (
    select cut_off_at, cut_off_month from {{ ref('watch_cut_off') }}
),

scores as (
    select scores.*
    from {{ ref('score_unit_monthly') }} as scores
    inner join cut_off on scores.month = cut_off.cut_off_month
    where scores.indicator_group = '过程' and scores.normalisation = 'target' and scores.target is not null
        and scores.has_own_data
),

elapsed as (
    select
        cast({{ fanzha.days_between('cut_off_month', 'cut_off_at') }} + 1 as {{ fanzha.type_double() }})
            / {{ fanzha.days_between('cut_off_month', fanzha.add_months('cut_off_month', 1)) }} as month_share
    from cut_off
),

compared as (
    select
        scores.*,
        case when scores.value_format = 'rate' then scores.target
            else scores.target * elapsed.month_share end as target_to_date
    from scores
    cross join elapsed
),

final as (
    select
        cast(unit_code as {{ dbt.type_string() }}) as unit_code,
        cast(unit_name as {{ dbt.type_string() }}) as unit_name,
        cast(unit_kind as {{ dbt.type_string() }}) as unit_kind,
        cast(unit_system as {{ dbt.type_string() }}) as unit_system,
        cast(district_code as {{ dbt.type_string() }}) as district_code,
        month,
        cast(indicator as {{ dbt.type_string() }}) as indicator,
        cast(indicator_label as {{ dbt.type_string() }}) as indicator_label,
        cast(value_format as {{ dbt.type_string() }}) as value_format,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(raw_value as {{ fanzha.type_double() }}) as value,
        cast(target as {{ fanzha.type_double() }}) as target,
        cast(target_to_date as {{ fanzha.type_double() }}) as target_to_date,
        coalesce(case direction
            when 'higher_better' then raw_value < target_to_date
            else raw_value > target_to_date end, false) as misses_target,
        cast(scheme_version as {{ dbt.type_string() }}) as scheme_version
    from compared
)

select * from final
