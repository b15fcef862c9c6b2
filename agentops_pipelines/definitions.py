"""The code location. Importing it costs little more than importing dagster: the asset modules,
resources, SDKs and dagster-dbt load only when Dagster calls `defs()`."""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    from agentops_pipelines.engine import build_executor
    from agentops_pipelines.resources import build_resources
    from agentops_pipelines.security import install_secret_filter

    install_secret_filter()
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
        dg.Definitions(resources=build_resources(), executor=build_executor()),
    )
