"""Jobs that sensors and the CLI launch."""

import dagster as dg

from agentops_pipelines.defs.partitions import spec_partitions

spec_ingest_job = dg.define_asset_job(
    "spec_ingest_job",
    selection=dg.AssetSelection.groups("specs"),
    partitions_def=spec_partitions,
    description="Ingest one spec: raw_spec then spec_document (downstream follows by automation).",
)
