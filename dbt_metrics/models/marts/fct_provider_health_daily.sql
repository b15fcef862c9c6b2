-- Provider attempts, errors and latency per day (cache hits excluded: no provider was called).
with calls as (
    select * from {{ ref('stg_llm__ledger') }}
    where not cache_hit
)

select
    concat_ws('|', call_date, provider) as health_key,
    call_date,
    provider,
    count(*) as attempts,
    count(*) filter (where is_error) as errors,
    count(*) filter (where is_error) / count(*) as error_rate,
    quantile_cont(latency_ms, 0.5) as latency_p50_ms,
    quantile_cont(latency_ms, 0.95) as latency_p95_ms
from calls
group by all
