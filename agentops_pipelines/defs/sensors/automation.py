"""Declarative automation: assets downstream of spec_document follow it by their conditions."""

import os

import dagster as dg

AUTOMATION_INTERVAL_ENV = "AGENTOPS_AUTOMATION_INTERVAL_S"


def automation_interval(environ: dict[str, str] | None = None) -> int:
    """Seconds between evaluations from AGENTOPS_AUTOMATION_INTERVAL_S (default 30, floor 5)."""
    raw = (os.environ if environ is None else environ).get(AUTOMATION_INTERVAL_ENV, "30")
    try:
        return max(5, int(raw))
    except ValueError:
        raise ValueError(
            f"{AUTOMATION_INTERVAL_ENV}={raw!r} is not a whole number of seconds"
        ) from None


spec_automation_sensor = dg.AutomationConditionSensorDefinition(
    "spec_automation_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=automation_interval(),
    description="Evaluates every asset's AutomationCondition (eager downstream of spec_document).",
)
