-- Spec completion per daily snapshot: requirements done with evidence over requirements known.
with documents as (
    select * from {{ ref('stg_specs__documents') }}
),

completed as (
    {{ completed_requirements() }}
)

select
    concat_ws('|', documents.snapshot_date, documents.spec_id) as completion_key,
    documents.snapshot_date,
    documents.spec_id,
    documents.title,
    documents.requirement_count,
    coalesce(completed.completed_requirements, 0) as completed_requirements,
    coalesce(completed.completed_requirements, 0) / nullif(documents.requirement_count, 0)
        as completion_ratio
from documents
left join completed
    on documents.snapshot_date = completed.snapshot_date
    and documents.spec_id = completed.spec_id
