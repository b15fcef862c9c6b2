-- Hours from a workspace's first activity to its first successful workflow.
select
    workspace,
    first_seen_at,
    first_workflow_at,
    date_diff('second', first_seen_at, first_workflow_at) / 3600.0 as hours_to_first_workflow
from {{ ref('int_workspaces__first_activity') }}
