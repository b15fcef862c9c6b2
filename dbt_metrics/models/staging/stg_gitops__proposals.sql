-- One row per proposed change (branch + PR), current status (latest snapshot).
with source as (
    {{ latest_snapshot(source('app_store', 'gitops_proposals')) }}
)

select
    id as proposal_id,
    spec_id,
    repo,
    source as proposal_source,
    status,
    pr_number,
    pr_state,
    checks_state,
    created_at,
    cast(created_at as date) as created_date,
    updated_at,
    status in ('pushed', 'failed') as push_attempted,
    pr_number is not null as pr_created
from source
