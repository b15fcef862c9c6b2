-- One row per search; a search that found nothing counts as a retrieval failure.
with source as (
    select * from {{ source('app_store', 'retrieval_queries') }}
)

select
    id as query_id,
    "at" as queried_at,
    cast("at" as date) as query_date,
    mode,
    backend,
    source as caller,
    top_k,
    result_count,
    latency_ms,
    result_count = 0 as is_failure
from source
