-- One row per assistant suggestion, current status (latest snapshot).
with source as (
    {{ latest_snapshot(source('app_store', 'assistant_suggestion')) }}
)

select
    id as suggestion_id,
    workspace,
    spec_id,
    feature,
    kind,
    template,
    template_version,
    model,
    status,
    created_at,
    cast(created_at as date) as created_date
from source
