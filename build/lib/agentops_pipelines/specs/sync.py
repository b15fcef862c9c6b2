"""Decide what a scan of the spec source means for Dagster: partitions to add or drop and the
partitions to run. Pure, so the polling sensor and the push-webhook sensor share it."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, Field

from agentops_pipelines.specs.source import ChangeSet, SpecFile, diff_scan


class SpecPlan(BaseModel):
    """Partitions to add or drop and the specs to run; shared by polling and push plans."""

    add_partitions: list[str] = Field(default_factory=list)
    delete_partitions: list[str] = Field(default_factory=list)
    runs: list[tuple[str, str]] = Field(default_factory=list, description="(key, content hash)")
    refused: list[str] = Field(default_factory=list, description="new specs over the limit")
    notice: str | None = Field(default=None, description="why specs were refused")


class SyncPlan(SpecPlan):
    changes: ChangeSet
    cursor: str


Plan = TypeVar("Plan", bound=SpecPlan)  # SyncPlan here, PushPlan in gitops


def drop_new_specs(plan: Plan, refused: list[str], notice: str | None) -> Plan:
    """The plan without the new specs in `refused`: no partition, no run, and (for a polling
    plan) not in the cursor, so a later scan offers them again."""
    gone = set(refused)
    update: dict = {
        "add_partitions": [k for k in plan.add_partitions if k not in gone],
        "runs": [r for r in plan.runs if r[0] not in gone],
        "refused": sorted(gone),
        "notice": notice,
    }
    if isinstance(plan, SyncPlan):
        kept = {k: v for k, v in load_cursor(plan.cursor).items() if k not in gone}
        update["cursor"] = json.dumps(kept, sort_keys=True)
    return plan.model_copy(update=update)


def load_cursor(cursor: str | None) -> dict[str, str]:
    if not cursor:
        return {}
    data = json.loads(cursor)
    return {str(k): str(v) for k, v in data.items()}


def plan_sync(cursor: str | None, scan: list[SpecFile], existing: set[str]) -> SyncPlan:
    previous = load_cursor(cursor)
    changes = diff_scan(previous, scan)
    now = {f.key: f.content_hash for f in scan}
    return SyncPlan(
        add_partitions=sorted(k for k in now if k not in existing),
        delete_partitions=sorted(k for k in existing if k not in now),
        runs=[(k, now[k]) for k in changes.to_run],
        changes=changes,
        cursor=json.dumps(now, sort_keys=True),
    )
