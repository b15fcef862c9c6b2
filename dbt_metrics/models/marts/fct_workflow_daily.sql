-- Workflow runs, success rate and duration per day and job.
with runs as (
    select * from {{ ref('int_runs__workflows') }}
)

select
    concat_ws('|', run_date, job_name) as workflow_key,
    run_date,
    job_name,
    count(*) as runs,
    count(*) filter (where is_finished) as finished,
    count(*) filter (where is_success) as succeeded,
    count(*) filter (where is_failure) as failed,
    count(*) filter (where is_success) / nullif(count(*) filter (where is_finished), 0)
        as success_rate,
    avg(duration_s) filter (where is_finished) as avg_duration_s,
    quantile_cont(duration_s, 0.5) filter (where is_finished) as p50_duration_s,
    quantile_cont(duration_s, 0.95) filter (where is_finished) as p95_duration_s
from runs
group by all
