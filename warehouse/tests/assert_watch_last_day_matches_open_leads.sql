-- The daily history's last day is taken as of the cut-off, so its counts per township equal those of
-- watch_open_leads (open and overdue). Any row returned is a disagreement.
with last_day as (
    select unit_code, open_leads, overdue_leads
    from {{ ref('watch_unit_daily') }}
    where unit_kind = 'township'
        and as_of_date = (select max(as_of_date) from {{ ref('watch_unit_daily') }})
),

open_now as (
    select
        township_code as unit_code,
        count(*) as open_leads,
        sum(case when is_overdue then 1 else 0 end) as overdue_leads
    from {{ ref('watch_open_leads') }}
    group by township_code
)

select last_day.unit_code, last_day.open_leads, open_now.open_leads as open_now,
    last_day.overdue_leads, open_now.overdue_leads as overdue_now
from last_day
left join open_now on last_day.unit_code = open_now.unit_code
where last_day.open_leads <> coalesce(open_now.open_leads, 0)
    or last_day.overdue_leads <> coalesce(open_now.overdue_leads, 0)
