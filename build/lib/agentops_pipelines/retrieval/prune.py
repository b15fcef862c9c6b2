"""Removing specs that left the source: their partitions are gone, so nothing re-runs them."""

from __future__ import annotations

from collections.abc import Iterable

from agentops_pipelines.retrieval.backend import RetrievalBackend
from agentops_pipelines.retrieval.models import IndexUpdate


def prune_removed_specs(
    backend: RetrievalBackend, live_spec_ids: Iterable[str]
) -> list[IndexUpdate]:
    """Delete every indexed spec that is not live; returns one update per removed spec."""
    live = set(live_spec_ids)
    return [backend.delete_spec(spec_id) for spec_id in backend.spec_ids() if spec_id not in live]
