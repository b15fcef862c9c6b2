-- What the response cache saved per day and workspace.
with calls as (
    select * from {{ ref('int_llm__calls_priced') }}
)

select
    concat_ws('|', call_date, workspace) as savings_key,
    call_date,
    workspace,
    count(*) as calls,
    count(*) filter (where cache_hit) as cache_hits,
    count(*) filter (where cache_hit) / count(*) as hit_rate,
    sum(cost_usd) as cost_usd,
    sum(saved_usd) as savings_usd
from calls
group by all
