"""spec_document follows raw_spec by declarative automation, not by a sensor."""

import dagster as dg

from agentops_pipelines.defs.assets.specs import raw_spec, spec_document
from agentops_pipelines.resources import build_resources


def test_spec_document_is_requested_when_raw_spec_updates(agentops_home):
    defs = dg.Definitions(assets=[raw_spec, spec_document], resources=build_resources())
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", ["a.md"])
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert result.total_requested == 0

    instance.report_runless_asset_event(
        dg.AssetMaterialization(asset_key="raw_spec", partition="a.md")
    )
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=result.cursor)
    assert result.get_requested_partitions(dg.AssetKey("spec_document")) == {"a.md"}
