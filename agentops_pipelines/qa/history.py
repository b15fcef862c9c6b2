"""Completion per spec over time: one small JSON list per spec under the artefact root."""

from __future__ import annotations

import json

from pydantic import BaseModel, TypeAdapter

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.qa.score_models import QAScores

KIND = "qa_history"
MAX_POINTS = 500


class HistoryPoint(BaseModel):
    computed_at: str
    completion_score: float
    passing: int
    failing: int
    untested: int
    commit: str | None = None


_POINTS = TypeAdapter(list[HistoryPoint])


def read_history(store: ArtefactStore, spec_id: str) -> list[HistoryPoint]:
    text = store.read_text(KIND, spec_id)
    return _POINTS.validate_json(text) if text else []


def append_history(store: ArtefactStore, spec_id: str, scores: QAScores) -> list[HistoryPoint]:
    """Only the Dagster asset writes here (one writer per partition), atomically."""
    statuses = [r.status for r in scores.requirements]
    points = read_history(store, spec_id) + [
        HistoryPoint(
            computed_at=scores.computed_at,
            completion_score=scores.completion_score,
            passing=statuses.count("passing"),
            failing=statuses.count("failing"),
            untested=statuses.count("untested"),
            commit=scores.commit,
        )
    ]
    points = points[-MAX_POINTS:]
    store.write_text(KIND, spec_id, json.dumps([p.model_dump() for p in points], indent=1))
    return points
