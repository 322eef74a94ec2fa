-- Dialect probes: the SQL semantics fanzha's models rely on, each checked against a hand-computed answer on
-- the engine this build runs on (DuckDB or Spark). A row names a probe that failed: an engine upgrade (or a
-- changed setting) that changes one of these answers fails the build here instead of changing the marts.
-- Where the engines differ by nature, the models call a dispatched macro (warehouse/README.md,
-- "Portable SQL") and the probe checks the macro.
with values_to_sort as (
    select 1 as x union all select cast(null as integer) union all select 2
),

sorted as (
    select
        x,
        row_number() over (order by x desc) as desc_rank,
        row_number() over (order by x asc nulls last) as asc_rank
    from values_to_sort
),

names as (
    select 'b' as name, 2 as name_rank
    union all select 'a', 1
    union all select 'c', 1
    union all select cast(null as {{ dbt.type_string() }}), 0
),

money as (
    select 'half' as case_name, cast(0.285 as {{ fanzha.type_double() }}) as amount
    union all select 'half_small', cast(1.005 as {{ fanzha.type_double() }})
    union all select 'half_binary_below', cast(2.675 as {{ fanzha.type_double() }})
    union all select 'parts', cast(0.1 as {{ fanzha.type_double() }})
    union all select 'parts', cast(0.2 as {{ fanzha.type_double() }})
    union all select 'parts', cast(0.005 as {{ fanzha.type_double() }})
),

rounded as (
    select case_name, {{ fanzha.sum_rounded('amount', 2) }} as total
    from money
    group by case_name
),

four_values as (
    select 1 as v union all select 2 union all select 3 union all select 4
),

probes as (
    select 'nulls sort last in a descending window' as probe,
        (select max(desc_rank) from sorted where x is null) = 3 as ok
    union all
    select 'nulls last when asked in an ascending window',
        (select max(asc_rank) from sorted where x is null) = 3
    union all
    select 'integer / integer is fractional', (7 / 2) = 3.5
    union all
    select 'minutes_between divides as doubles',
        {{ fanzha.minutes_between("cast('2023-11-10 09:00:00' as " ~ dbt.type_timestamp() ~ ")",
                                  "cast('2023-11-10 10:00:01' as " ~ dbt.type_timestamp() ~ ")") }}
            = cast(3601 as {{ fanzha.type_double() }}) / 60
    union all
    select 'safe_divide is a double, null on zero',
        {{ fanzha.safe_divide('1', '3') }} = cast(1 as {{ fanzha.type_double() }}) / 3
        and {{ fanzha.safe_divide('1', '0') }} is null
    union all
    select 'month_start of a date and of a timestamp just before midnight',
        {{ fanzha.month_start("cast('2023-11-30' as date)") }} = cast('2023-11-01' as date)
        and {{ fanzha.month_start("cast('2023-11-30 23:59:59' as " ~ dbt.type_timestamp() ~ ")") }}
            = cast('2023-11-01' as date)
    union all
    select 'add_months keeps the month end', {{ fanzha.add_months("cast('2023-01-31' as date)", 1) }} = cast('2023-02-28' as date)
    union all
    select 'days_between counts calendar days',
        {{ fanzha.days_between("cast('2023-01-01 23:30:00' as " ~ dbt.type_timestamp() ~ ")",
                               "cast('2024-01-01 00:10:00' as " ~ dbt.type_timestamp() ~ ")") }} = 365
    union all
    select 'timestamps are computed in UTC', {{ fanzha.session_time_zone() }} = 'UTC'
    union all
    select 'listagg_ordered sorts by its keys and skips nulls',
        (select {{ fanzha.listagg_ordered('name', "'、'", ['name_rank', 'name']) }} from names) = 'a、c、b'
    union all
    select 'listagg_ordered of no value is null',
        (select {{ fanzha.listagg_ordered('name', "'、'", ['name_rank desc']) }} from names where name is null) is null
    union all
    select 'sum_rounded rounds the decimal half away from zero',
        (select total from rounded where case_name = 'half') = cast(0.29 as {{ fanzha.type_double() }})
        and (select total from rounded where case_name = 'half_small') = cast(1.01 as {{ fanzha.type_double() }})
        and (select total from rounded where case_name = 'half_binary_below') = cast(2.68 as {{ fanzha.type_double() }})
        and (select total from rounded where case_name = 'parts') = cast(0.31 as {{ fanzha.type_double() }})
    union all
    select 'median interpolates', (select {{ fanzha.median('v') }} from four_values) = 2.5
    union all
    select 'safe_cast yields null', {{ fanzha.safe_cast("'abc'", 'integer') }} is null
    union all
    select 'integral doubles cast to integers exactly', cast(cast(17 as {{ fanzha.type_double() }}) as integer) = 17
    union all
    select 'strings compare by code point', 'B' < 'a' and '南' < '贾'
    union all
    select 'length, substring and position count characters',
        {{ dbt.length("'贾宋镇'") }} = 3 and substring('130506101', 7, 3) = '101'
        and {{ dbt.position("'宋'", "'贾宋镇'") }} = 2
    union all
    select 'concat with a null is null', {{ dbt.concat(["'a'", 'cast(null as ' ~ dbt.type_string() ~ ')']) }} is null
    union all
    select 'any_true over no true row is false',
        (select {{ fanzha.any_true('v > 4') }} from four_values) = false
)

select probe from probes where not coalesce(ok, false)
