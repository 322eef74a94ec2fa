-- The first-contact buckets (seeds/first_contact_buckets.csv), in display order, cover every minute once:
-- the first has no lower bound, each next one starts where the previous one ends, the last has no upper
-- bound. A gap would leave a contacted lead without a bucket; an overlap would count it twice.
with buckets as (
    select
        first_contact_bucket,
        lower_minutes,
        upper_minutes,
        row_number() over (order by display_order) as position,
        count(*) over () as buckets,
        lag(upper_minutes) over (order by display_order) as previous_upper
    from {{ ref('first_contact_buckets') }}
),

broken as (
    select first_contact_bucket
    from buckets
    where (position = 1 and lower_minutes is not null)
        or (position > 1 and (lower_minutes is null or previous_upper is null or lower_minutes <> previous_upper))
        or (position = buckets and upper_minutes is not null)
        or (position < buckets and upper_minutes is null)
        or upper_minutes <= lower_minutes
)

select * from broken
