-- Every unit of every district in scope: the district itself, its townships, villages, police stations
-- and member units. Clone districts copy Nanhe's reference rows with the first 6 digits of each code
-- replaced by the clone's district code (docs/contracts.md §1); member units and stations are keyed
-- district_code || key (130506M02, 130506PS06).
with districts as (
    select * from {{ ref('int_districts_selected') }}
),

townships as (
    select * from {{ ref('townships') }}
),

villages as (
    select * from {{ ref('villages') }}
),

police_stations as (
    select * from {{ ref('police_stations') }}
),

member_units as (
    select * from {{ ref('member_units') }}
),

township_units as (
    select
        {{ dbt.concat(['districts.district_code', 'substring(townships.township_code, 7, 3)']) }} as unit_code,
        townships.township_name as unit_name,
        'township' as unit_kind,
        districts.district_code as parent_code,
        districts.district_code,
        {{ dbt.concat(['districts.district_code', 'substring(townships.township_code, 7, 3)']) }} as township_code,
        townships.resident_population as population,
        townships.registered_population
    from districts
    cross join townships
),

village_units as (
    select
        {{ dbt.concat(['districts.district_code', 'substring(villages.village_code, 7, 6)']) }} as unit_code,
        villages.village_name as unit_name,
        'village' as unit_kind,
        {{ dbt.concat(['districts.district_code', 'substring(villages.township_code, 7, 3)']) }} as parent_code,
        districts.district_code,
        {{ dbt.concat(['districts.district_code', 'substring(villages.township_code, 7, 3)']) }} as township_code,
        villages.resident_population as population,
        villages.registered_population
    from districts
    cross join villages
),

district_units as (
    select
        districts.district_code as unit_code,
        districts.district_name as unit_name,
        'district' as unit_kind,
        cast(null as {{ dbt.type_string() }}) as parent_code,
        districts.district_code,
        cast(null as {{ dbt.type_string() }}) as township_code,
        sum(townships.resident_population) as population,
        sum(townships.registered_population) as registered_population
    from districts
    cross join townships
    group by districts.district_code, districts.district_name
),

station_populations as (
    select
        police_stations.station_key,
        police_stations.station_name,
        sum(townships.resident_population) as population,
        sum(townships.registered_population) as registered_population
    from police_stations
    inner join townships on police_stations.township_code = townships.township_code
    group by police_stations.station_key, police_stations.station_name
),

station_units as (
    select
        {{ dbt.concat(['districts.district_code', 'station_populations.station_key']) }} as unit_code,
        station_populations.station_name as unit_name,
        'police_station' as unit_kind,
        districts.district_code as parent_code,
        districts.district_code,
        cast(null as {{ dbt.type_string() }}) as township_code,
        station_populations.population,
        station_populations.registered_population
    from districts
    cross join station_populations
),

member_unit_units as (
    select
        {{ dbt.concat(['districts.district_code', 'member_units.member_unit_key']) }} as unit_code,
        member_units.member_unit_name as unit_name,
        'member_unit' as unit_kind,
        districts.district_code as parent_code,
        districts.district_code,
        cast(null as {{ dbt.type_string() }}) as township_code,
        member_units.population,
        member_units.population as registered_population
    from districts
    cross join member_units
),

unioned as (
    select * from district_units
    union all select * from township_units
    union all select * from village_units
    union all select * from station_units
    union all select * from member_unit_units
),

final as (
    select
        cast(unit_code as {{ dbt.type_string() }}) as unit_code,
        cast(unit_name as {{ dbt.type_string() }}) as unit_name,
        cast(unit_kind as {{ dbt.type_string() }}) as unit_kind,
        cast(parent_code as {{ dbt.type_string() }}) as parent_code,
        cast(district_code as {{ dbt.type_string() }}) as district_code,
        cast(township_code as {{ dbt.type_string() }}) as township_code,
        cast(population as bigint) as population,
        cast(registered_population as bigint) as registered_population
    from unioned
)

select * from final
