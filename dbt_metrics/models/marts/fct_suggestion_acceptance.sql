-- Suggestion acceptance rate per day (of the suggestion), feature and template.
with suggestions as (
    select * from {{ ref('stg_assistant__suggestions') }}
),

decisions as (
    select suggestion_id, arg_max(decision, decided_at) as decision
    from {{ ref('stg_assistant__decisions') }}
    group by suggestion_id
)

select
    concat_ws('|', suggestions.created_date, suggestions.feature, suggestions.template)
        as acceptance_key,
    suggestions.created_date as day,
    suggestions.feature,
    suggestions.template,
    count(*) as suggestions,
    count(decisions.decision) as decided,
    count(*) filter (where decisions.decision = 'accept') as accepted,
    count(*) filter (where decisions.decision = 'reject') as rejected,
    count(*) filter (where decisions.decision = 'accept') / nullif(count(decisions.decision), 0)
        as acceptance_rate
from suggestions
left join decisions on suggestions.suggestion_id = decisions.suggestion_id
group by all
