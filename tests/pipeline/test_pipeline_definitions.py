"""The whole code location loads and holds what the design names."""

import dagster as dg

from agentops_pipelines.defs.partitions import SPEC_PARTITIONS_NAME


def test_code_location_loads_with_expected_definitions(agentops_home):
    from agentops_pipelines.definitions import defs

    loaded = defs()
    graph = loaded.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"raw_spec", "spec_document"} <= keys

    for name in ("raw_spec", "spec_document"):
        partitions = graph.get(dg.AssetKey(name)).partitions_def
        assert isinstance(partitions, dg.DynamicPartitionsDefinition)
        assert partitions.name == SPEC_PARTITIONS_NAME

    checks = {key.name for key in graph.asset_check_keys}
    assert {"spec_parses", "acceptance_criteria_present", "clarifications_resolved"} <= checks

    assert loaded.resolve_sensor_def("spec_source_sensor") is not None
    assert loaded.resolve_sensor_def("spec_automation_sensor") is not None
    assert loaded.resolve_job_def("spec_ingest_job") is not None
    assert {"io_manager", "artefacts", "spec_source", "search", "llm"} <= set(
        loaded.resources or {}
    )
