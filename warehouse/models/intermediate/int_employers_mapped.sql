-- Each distinct 工作单位 seen in leads or cases, mapped to the member unit whose system answers for it:
-- the employer matches a keyword of seeds/employer_systems.csv when it contains it; among the matching
-- keywords the lowest `priority` wins (ties: the longer keyword, then the lower member unit key).
-- Employers matching no keyword belong to no member unit.
with employers as (
    select employer from {{ ref('stg_landing__alerts') }} where employer is not null
    union
    select employer from {{ ref('stg_landing__cases') }} where employer is not null
),

keywords as (
    select * from {{ ref('employer_systems') }}
),

member_units as (
    select * from {{ ref('member_units') }}
),

matches as (
    select
        employers.employer,
        keywords.member_unit_key,
        row_number() over (
            partition by employers.employer
            order by keywords.priority nulls last, {{ dbt.length('keywords.employer_keyword') }} desc,
                keywords.member_unit_key nulls last
        ) as match_rank
    from employers
    inner join keywords
        on {{ dbt.position('keywords.employer_keyword', 'employers.employer') }} > 0
),

final as (
    select
        matches.employer,
        matches.member_unit_key,
        member_units.system as employer_system
    from matches
    inner join member_units on matches.member_unit_key = member_units.member_unit_key
    where matches.match_rank = 1
)

select * from final
