-- One row per checkout session, current status (latest snapshot); money in USD-like units.
with source as (
    {{ latest_snapshot(source('app_store', 'billing_purchase')) }}
)

select
    session_id as purchase_id,
    workspace,
    kind,
    item,
    amount_cents / 100.0 as amount,
    currency,
    status,
    payment_status,
    created_at,
    coalesce(completed_at, created_at) as paid_at,
    status = 'complete' or payment_status = 'paid' as is_paid
from source
