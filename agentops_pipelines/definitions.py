"""The code location. Importing it costs little more than importing dagster: the asset modules,
resources, SDKs and dagster-dbt load only when Dagster calls `defs()`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

if TYPE_CHECKING:
    from agentops_pipelines.settings import Settings


@dg.definitions
def defs() -> dg.Definitions:
    from agentops_pipelines.settings import get_settings

    return build_definitions(get_settings())


def build_definitions(settings: Settings) -> dg.Definitions:
    """The code location for these settings: resources and executor are built from them (the
    CLI passes its own, e.g. `agentops ingest PATH`)."""
    from agentops_pipelines.engine import build_executor
    from agentops_pipelines.resources import build_resources
    from agentops_pipelines.security import install_secret_filter

    install_secret_filter()
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
        dg.Definitions(
            resources=build_resources(settings), executor=build_executor(settings=settings)
        ),
    )
