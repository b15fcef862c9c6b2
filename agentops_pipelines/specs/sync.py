"""Decide what a scan of the spec source means for Dagster: partitions to add or drop and the
partitions to run. Pure, so the polling sensor and the push-webhook sensor share it."""

from __future__ import annotations

import json

from pydantic import BaseModel, Field

from agentops_pipelines.specs.source import ChangeSet, SpecFile, diff_scan


class SyncPlan(BaseModel):
    add_partitions: list[str] = Field(default_factory=list)
    delete_partitions: list[str] = Field(default_factory=list)
    runs: list[tuple[str, str]] = Field(default_factory=list, description="(key, content hash)")
    changes: ChangeSet
    cursor: str


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
