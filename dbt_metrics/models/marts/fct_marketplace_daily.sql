-- Marketplace uploads, downloads, forks, ratings and revenue per day.
with events as (
    select
        event_date as day,
        count(*) filter (where event = 'upload') as uploads,
        count(*) filter (where event = 'download') as downloads,
        count(*) filter (where event = 'fork') as forks,
        count(*) filter (where event = 'rating') as ratings,
        avg(stars) filter (where event = 'rating') as avg_stars
    from {{ ref('stg_marketplace__events') }}
    group by all
),

revenue as (
    select cast(paid_at as date) as day, sum(amount) as revenue, count(*) as purchases
    from {{ ref('stg_billing__purchases') }}
    where is_paid
    group by all
),

days as (
    select day from events
    union
    select day from revenue
)

select
    days.day,
    coalesce(events.uploads, 0) as uploads,
    coalesce(events.downloads, 0) as downloads,
    coalesce(events.forks, 0) as forks,
    coalesce(events.ratings, 0) as ratings,
    events.avg_stars,
    coalesce(revenue.purchases, 0) as purchases,
    coalesce(revenue.revenue, 0) as revenue
from days
left join events on days.day = events.day
left join revenue on days.day = revenue.day
