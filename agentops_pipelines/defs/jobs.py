"""Jobs that sensors and the CLI launch."""

import dagster as dg

from agentops_pipelines.defs.partitions import spec_partitions
from agentops_pipelines.engine import chain_executor

# A spec someone just edited is the run a user waits on: the QueuedRunCoordinator dequeues
# higher `dagster/priority` first, ahead of automation's catch-up runs of single assets.
SPEC_EDIT_TAGS = {"dagster/priority": "10"}

spec_ingest_job = dg.define_asset_job(
    "spec_ingest_job",
    selection=dg.AssetSelection.groups("specs"),
    partitions_def=spec_partitions,
    description="Ingest one spec: raw_spec then spec_document (downstream follows by automation).",
    executor_def=chain_executor(),
)

spec_pipeline_job = dg.define_asset_job(
    "spec_pipeline_job",
    selection=dg.AssetSelection.groups(
        "specs", "planning", "retrieval", "codegen", "qa", "delivery"
    ),
    partitions_def=spec_partitions,
    description=(
        "One spec through every per-spec asset in one run, in one process: what "
        "spec_source_sensor and `agentops ingest` launch for a new or changed spec. Automation "
        "conditions still bring single assets up to date after other changes."
    ),
    # One process for the whole chain: a process per step would reload the code location for
    # each of the 11 steps and buys nothing for steps that run one after the other. Under
    # AGENTOPS_EXECUTOR=celery the steps go to the workers instead.
    executor_def=chain_executor(),
)
