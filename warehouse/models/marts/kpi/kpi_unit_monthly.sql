-- Grain: unit_code × month, for every township, village and member unit and every month of dim_months
-- (zeros where nothing happened), with each headline measure's and rate's previous month, same month last
-- year and change (macro kpi_comparisons). See _kpi__models.yml for every definition.
-- Incremental by month: a month's comparisons read month − 1 and month − 12, so a rebuilt month also rebuilds
-- month + 1 and month + 12.
{% set rebuild_offsets = [0, 1, 12] %}
{{ config(**fanzha.incremental_by_month(rebuild_offsets)) }}
-- depends_on: {{ ref('int_months_invalidated') }}
with units as (
    select * from {{ ref('dim_units') }}
    where unit_kind in ('township', 'village', 'member_unit')
),

months as (
    select month from {{ ref('dim_months') }}
    where {{ fanzha.invalidated_months_lookback('month', 12) }}
),

measures as (
    select * from {{ ref('int_unit_monthly_measures') }}
),

unit_month_grid as (
    select
        units.unit_code,
        units.unit_name,
        units.unit_kind,
        units.district_code,
        units.township_code,
        months.month,
        units.population
    from units
    cross join months
),

grid_measures as (
    select
        unit_month_grid.*,
        measures.leads, measures.fund_leads, measures.amount_at_risk, measures.leads_contacted,
        measures.fund_leads_contacted, measures.median_minutes_to_first_contact, measures.fund_within_60min,
        measures.fund_overdue,
        measures.fund_face_to_face, measures.fund_four_party, measures.fund_three_clear,
        measures.fund_checklist, measures.fund_follow_up, measures.fund_dissuaded,
        measures.fund_amount_at_risk, measures.fund_intercepted_amount, measures.intercepted_amount,
        measures.cases, measures.loss_amount, measures.recovered_amount, measures.post_warning_victims,
        measures.repeat_victims, measures.activities_training, measures.activities_publicity,
        measures.activities_warning_education, measures.activities_supervision, measures.activities_total
    from unit_month_grid
    left join measures
        on unit_month_grid.unit_code = measures.unit_code and unit_month_grid.month = measures.month
),

unit_kpis as (
    select
        grid_measures.unit_code,
        grid_measures.unit_name,
        grid_measures.unit_kind,
        grid_measures.district_code,
        grid_measures.township_code,
        grid_measures.month,
        grid_measures.population,
        {{ fanzha.kpi_measure_columns('grid_measures') }}
    from grid_measures
),

with_previous as (
    select
        unit_kpis.*,
        {{ fanzha.kpi_previous_columns('unit_kpis', 'unit_code') }}
    from unit_kpis
),

final as (
    select
        with_previous.*,
        {{ fanzha.kpi_change_columns('with_previous') }}
    from with_previous
    where {{ fanzha.invalidated_months_filter('with_previous.month', rebuild_offsets) }}
)

select * from final
