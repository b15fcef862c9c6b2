-- Product workflows: Dagster runs other than the warehouse's own refreshes, with the workspace
-- that paid for their LLM calls (from the ledger's run_id), 'default' when they made none.
with runs as (
    select * from {{ ref('stg_dagster__runs') }}
    where not is_internal
),

run_workspace as (
    select run_id, min(workspace) as workspace
    from {{ ref('stg_llm__ledger') }}
    where run_id is not null
    group by run_id
)

select
    runs.*,
    coalesce(run_workspace.workspace, 'default') as workspace
from runs
left join run_workspace on runs.run_id = run_workspace.run_id
