-- Per workspace and day: cumulative LLM spend against the workspace budget.
with daily as (
    select workspace, call_date, sum(cost_usd) as cost_usd
    from {{ ref('stg_llm__ledger') }}
    group by all
),

budgets as (
    select budget_key as workspace, limit_usd
    from {{ ref('stg_llm__budgets') }}
    where scope = 'workspace'
),

cumulative as (
    select
        workspace,
        call_date,
        cost_usd,
        sum(cost_usd) over (
            partition by workspace order by call_date rows unbounded preceding
        ) as spent_to_date_usd
    from daily
)

select
    concat_ws('|', cumulative.workspace, cumulative.call_date) as burndown_key,
    cumulative.workspace,
    cumulative.call_date,
    cumulative.cost_usd,
    cumulative.spent_to_date_usd,
    budgets.limit_usd,
    budgets.limit_usd - cumulative.spent_to_date_usd as remaining_usd,
    cumulative.spent_to_date_usd / nullif(budgets.limit_usd, 0) as pct_used
from cumulative
left join budgets on cumulative.workspace = budgets.workspace
