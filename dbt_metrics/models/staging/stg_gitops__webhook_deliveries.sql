-- One row per GitHub delivery received (payload stays in the app store).
with source as (
    select * from {{ source('app_store', 'webhook_inbox') }}
)

select
    delivery_id,
    event,
    action,
    received_at,
    cast(received_at as date) as received_date,
    status,
    processed_at
from source
