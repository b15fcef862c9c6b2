-- Marketplace activity as one event stream: uploads (versions), downloads, forks, ratings.
with versions as (
    select template_id, created_at as happened_at, 'upload' as event, null::integer as stars
    from {{ source('app_store', 'mp_version') }}
),

downloads as (
    select template_id, "at" as happened_at, 'download' as event, null::integer as stars
    from {{ source('app_store', 'mp_download') }}
),

forks as (
    select template_id, created_at as happened_at, 'fork' as event, null::integer as stars
    from {{ source('app_store', 'mp_fork') }}
),

ratings as (
    select template_id, updated_at as happened_at, 'rating' as event, stars
    from ({{ latest_snapshot(source('app_store', 'mp_rating')) }})
)

select
    template_id,
    happened_at,
    cast(happened_at as date) as event_date,
    event,
    stars
from (
    select * from versions
    union all select * from downloads
    union all select * from forks
    union all select * from ratings
)
