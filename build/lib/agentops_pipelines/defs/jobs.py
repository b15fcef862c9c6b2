"""Jobs that sensors and the CLI launch."""

import dagster as dg

from agentops_pipelines.defs.partitions import spec_partitions

spec_ingest_job = dg.define_asset_job(
    "spec_ingest_job",
    selection=dg.AssetSelection.groups("specs"),
    partitions_def=spec_partitions,
    description="Ingest one spec: raw_spec then spec_document (downstream follows by automation).",
)

spec_pipeline_job = dg.define_asset_job(
    "spec_pipeline_job",
    selection=dg.AssetSelection.groups(
        "specs", "planning", "retrieval", "codegen", "qa", "delivery"
    ),
    partitions_def=spec_partitions,
    description=(
        "One spec through every per-spec asset in one run. The CLI uses it because no daemon is "
        "there to follow automation conditions; under `dagster dev` the sensor runs "
        "spec_ingest_job and automation does the rest."
    ),
)
