"""Requirement-level diff between two parses of one spec."""

from __future__ import annotations

from agentops_pipelines.specs.models import RequirementDiff, SpecDocument


def diff_requirements(previous: SpecDocument | None, current: SpecDocument) -> RequirementDiff:
    """Added / changed (same ID, other content hash) / removed requirement IDs, each sorted.

    With no previous document every current requirement counts as added.
    """
    before = {r.id: r.content_hash for r in previous.requirements} if previous else {}
    after = {r.id: r.content_hash for r in current.requirements}
    changed = sorted(k for k in after.keys() & before.keys() if after[k] != before[k])
    removed = sorted(before.keys() - after.keys())
    old = {r.id: r.text for r in previous.requirements} if previous else {}
    return RequirementDiff(
        added=sorted(after.keys() - before.keys()),
        changed=changed,
        removed=removed,
        previous_text={k: old[k] for k in changed + removed},
    )
