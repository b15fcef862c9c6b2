-- One row per spec per daily snapshot of its QA scores (requirements passing with evidence).
with source as (
    select * from {{ source('artefacts', 'artefacts') }}
    where kind = 'qa_scores'
),

parsed as (
    select _partition_date as snapshot_date, cast(doc as json) as doc
    from source
)

select
    snapshot_date,
    doc ->> '$.spec_id' as spec_id,
    cast(doc ->> '$.completion_score' as double) as completion_score,
    coalesce(json_array_length(doc -> '$.requirements'), 0) as requirement_count,
    len(
        list_filter(json_extract_string(doc, '$.requirements[*].status'), s -> s = 'passing')
    ) as completed_requirements
from parsed
