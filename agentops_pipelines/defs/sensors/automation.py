"""Declarative automation: assets downstream of spec_document follow it by their conditions."""

import dagster as dg

from agentops_pipelines.settings import settings_for

AUTOMATION_INTERVAL_ENV = "AGENTOPS_AUTOMATION_INTERVAL_S"


def automation_interval(environ: dict[str, str] | None = None) -> int:
    """Seconds between evaluations from AGENTOPS_AUTOMATION_INTERVAL_S (default 30, floor 5)."""
    return max(5, settings_for(environ).orchestration.automation_interval_s)


spec_automation_sensor = dg.AutomationConditionSensorDefinition(
    "spec_automation_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=automation_interval(),
    description="Evaluates every asset's AutomationCondition (eager downstream of spec_document).",
)
