-- PR creation success: proposals pushed with a PR opened, over proposals whose push was tried.
with proposals as (
    select * from {{ ref('stg_gitops__proposals') }}
)

select
    concat_ws('|', created_date, repo) as pr_key,
    created_date as day,
    repo,
    count(*) as proposals,
    count(*) filter (where push_attempted) as push_attempts,
    count(*) filter (where pr_created) as prs_created,
    count(*) filter (where status = 'failed') as failed,
    count(*) filter (where checks_state = 'success') as checks_green,
    count(*) filter (where pr_created) / nullif(count(*) filter (where push_attempted), 0)
        as pr_success_rate
from proposals
group by all
