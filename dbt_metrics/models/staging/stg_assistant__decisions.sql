-- One row per human decision on a suggestion (accept or reject).
with source as (
    select * from {{ source('app_store', 'assistant_decision') }}
)

select
    id as decision_id,
    suggestion_id,
    decision,
    decided_at
from source
