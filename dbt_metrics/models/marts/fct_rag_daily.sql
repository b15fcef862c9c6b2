-- Retrieval latency p50/p95 and failure rate per day, backend and mode.
with queries as (
    select * from {{ ref('stg_retrieval__queries') }}
)

select
    concat_ws('|', query_date, backend, mode) as rag_key,
    query_date,
    backend,
    mode,
    count(*) as queries,
    count(*) filter (where is_failure) as failures,
    count(*) filter (where is_failure) / count(*) as failure_rate,
    quantile_cont(latency_ms, 0.5) as latency_p50_ms,
    quantile_cont(latency_ms, 0.95) as latency_p95_ms
from queries
group by all
