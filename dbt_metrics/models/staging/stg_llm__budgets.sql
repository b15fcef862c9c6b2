-- Budget limits and spend as of the latest daily snapshot.
with source as (
    select * from {{ source('app_store', 'llm_budget') }}
),

latest as (
    select max(_partition_date) as snapshot_date from source
)

select
    source.scope,
    source.key as budget_key,
    source.limit_micros / 1e6 as limit_usd,
    source.spent_micros / 1e6 as spent_usd,
    source.reserved_micros / 1e6 as reserved_usd,
    source._partition_date as snapshot_date
from source
inner join latest on source._partition_date = latest.snapshot_date
