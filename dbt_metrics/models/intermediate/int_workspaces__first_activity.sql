-- When each workspace was first seen (first LLM call or first workflow) and first completed a
-- workflow successfully.
with calls as (
    select workspace, min(called_at) as first_call_at
    from {{ ref('stg_llm__ledger') }}
    group by workspace
),

workflows as (
    select
        workspace,
        min(created_at) as first_run_at,
        min(case when is_success then ended_at end) as first_success_at
    from {{ ref('int_runs__workflows') }}
    group by workspace
),

workspaces as (
    select workspace from calls
    union
    select workspace from workflows
)

select
    workspaces.workspace,
    least(
        coalesce(calls.first_call_at, workflows.first_run_at),
        coalesce(workflows.first_run_at, calls.first_call_at)
    ) as first_seen_at,
    workflows.first_success_at as first_workflow_at
from workspaces
left join calls on workspaces.workspace = calls.workspace
left join workflows on workspaces.workspace = workflows.workspace
