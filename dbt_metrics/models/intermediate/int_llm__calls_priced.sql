-- Ledger rows with the money a cache hit saved: the average paid cost of the same request
-- (same request hash), else of the same model and task type.
with calls as (
    select * from {{ ref('stg_llm__ledger') }}
),

paid_by_request as (
    select request_hash, avg(cost_usd) as paid_usd
    from calls
    where not cache_hit and outcome = 'ok'
    group by request_hash
),

paid_by_model as (
    select model, task_type, avg(cost_usd) as paid_usd
    from calls
    where not cache_hit and outcome = 'ok'
    group by model, task_type
)

select
    calls.*,
    case
        when calls.cache_hit then coalesce(paid_by_request.paid_usd, paid_by_model.paid_usd, 0)
        else 0
    end as saved_usd
from calls
left join paid_by_request on calls.request_hash = paid_by_request.request_hash
left join paid_by_model
    on calls.model = paid_by_model.model and calls.task_type = paid_by_model.task_type
