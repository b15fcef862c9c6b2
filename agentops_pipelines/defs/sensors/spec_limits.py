"""The plan's spec limit at the door: new specs beyond it get no partition and no run.

Shared by the polling sensor, the push sensor and the CLI. Off unless AGENTOPS_PLAN_LIMITS=on;
a refused spec is picked up by the polling sensor once the plan has room.
"""

from __future__ import annotations

from agentops_pipelines.billing.limits import SpecAdmission, admit_specs
from agentops_pipelines.resources.app_store import AppStoreResource


def spec_admission(
    existing: set[str], add: list[str], delete: list[str], app_store: AppStoreResource
) -> SpecAdmission | None:
    """None when limits are off or nothing is new; else which of `add` fit the plan."""
    if not app_store.plan_limits or not add:
        return None
    kept = len(existing - set(delete))
    return admit_specs(app_store.sessions(), app_store.workspace, kept, add)
