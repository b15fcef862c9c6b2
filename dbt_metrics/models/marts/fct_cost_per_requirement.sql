-- LLM cost per spec over completed requirements (latest snapshot).
with costs as (
    select spec, sum(cost_usd) as cost_usd
    from {{ ref('stg_llm__ledger') }}
    group by spec
),

completion as (
    select *
    from {{ ref('fct_spec_completion_daily') }}
    where snapshot_date = (select max(snapshot_date) from {{ ref('fct_spec_completion_daily') }})
),

specs as (
    select spec as spec_id from costs
    union
    select spec_id from completion
)

select
    specs.spec_id,
    coalesce(costs.cost_usd, 0) as cost_usd,
    coalesce(completion.requirement_count, 0) as requirement_count,
    coalesce(completion.completed_requirements, 0) as completed_requirements,
    coalesce(costs.cost_usd, 0) / nullif(completion.completed_requirements, 0)
        as cost_per_completed_requirement
from specs
left join costs on specs.spec_id = costs.spec
left join completion on specs.spec_id = completion.spec_id
