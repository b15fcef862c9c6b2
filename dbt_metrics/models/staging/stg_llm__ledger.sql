-- One row per router attempt or cache hit (money in USD from integer micro-dollars).
with source as (
    select * from {{ source('app_store', 'llm_ledger') }}
)

select
    id as ledger_id,
    "at" as called_at,
    cast("at" as date) as call_date,
    request_hash,
    workspace,
    coalesce(spec, '(none)') as spec,
    run_id,
    task_type,
    provider,
    model,
    attempt,
    tokens_in,
    tokens_out,
    cost_micros / 1e6 as cost_usd,
    latency_ms,
    cache_hit,
    outcome,
    error_class,
    outcome not in ('ok', 'cache_hit') as is_error
from source
