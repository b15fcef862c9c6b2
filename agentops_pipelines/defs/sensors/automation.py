"""Declarative automation: assets downstream of spec_document follow it by their conditions."""

import dagster as dg

spec_automation_sensor = dg.AutomationConditionSensorDefinition(
    "spec_automation_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Evaluates every asset's AutomationCondition (eager downstream of spec_document).",
)
