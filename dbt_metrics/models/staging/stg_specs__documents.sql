-- One row per ingested spec, read straight from the spec_document artefacts.
with source as (
    select *
    from read_json_auto(
        '{{ env_var("AGENTOPS_ARTEFACT_ROOT", "../.agentops/artefacts") }}/spec_document/*.json',
        union_by_name = true
    )
)

select
    spec_id,
    format,
    title,
    content_hash,
    len(requirements) as requirement_count,
    len(findings) as finding_count
from source
