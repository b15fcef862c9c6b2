-- One row per Dagster run with its outcome and duration.
with source as (
    select * from {{ source('dagster', 'dagster_runs') }}
)

select
    run_id,
    job_name,
    status,
    created_at,
    cast(created_at as date) as run_date,
    started_at,
    ended_at,
    date_diff('millisecond', started_at, ended_at) / 1000.0 as duration_s,
    partition_key,
    tags,
    status = 'SUCCESS' as is_success,
    status in ('FAILURE', 'CANCELED') as is_failure,
    status in ('SUCCESS', 'FAILURE', 'CANCELED') as is_finished,
    job_name like 'warehouse%' or job_name like 'metrics%' or job_name like 'kpi%' as is_internal
from source
