-- One row per spec document per daily snapshot, parsed from the artefact JSON.
with source as (
    select * from {{ source('artefacts', 'artefacts') }}
    where kind = 'spec_document'
),

parsed as (
    select
        _partition_date as snapshot_date,
        key,
        cast(doc as json) as doc
    from source
)

select
    snapshot_date,
    doc ->> '$.spec_id' as spec_id,
    doc ->> '$.format' as format,
    doc ->> '$.title' as title,
    doc ->> '$.content_hash' as content_hash,
    coalesce(json_array_length(doc -> '$.requirements'), 0) as requirement_count,
    coalesce(json_array_length(doc -> '$.findings'), 0) as finding_count
from parsed
