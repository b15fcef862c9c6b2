-- Daily LLM cost by provider, model, task type, spec and workspace.
with calls as (
    select * from {{ ref('int_llm__calls_priced') }}
)

select
    concat_ws('|', call_date, provider, model, task_type, spec, workspace) as cost_key,
    call_date,
    provider,
    model,
    task_type,
    spec,
    workspace,
    count(*) as calls,
    count(*) filter (where cache_hit) as cache_hits,
    count(*) filter (where is_error) as errors,
    sum(tokens_in)::bigint as tokens_in,
    sum(tokens_out)::bigint as tokens_out,
    sum(cost_usd) as cost_usd,
    sum(saved_usd) as cache_savings_usd
from calls
group by all
