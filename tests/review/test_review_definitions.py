"""The code location holds the review asset (one partition per PR) and its sensor."""

import dagster as dg

from agentops_pipelines.defs.partitions import PULL_PARTITIONS_NAME


def test_pr_review_asset_and_sensor_are_defined(agentops_home) -> None:
    from agentops_pipelines.definitions import defs

    loaded = defs()
    node = loaded.resolve_asset_graph().get(dg.AssetKey("pr_review"))
    assert isinstance(node.partitions_def, dg.DynamicPartitionsDefinition)
    assert node.partitions_def.name == PULL_PARTITIONS_NAME
    assert loaded.resolve_sensor_def("pr_review_sensor") is not None
