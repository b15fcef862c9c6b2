"""Is a spec's downstream (plan, QA, PR proposal) from the spec's current version?

Dagster-free: compares the artefacts themselves. The plan records the spec content hash it was
built from; QA scores and the PR proposal are stale when written before the current spec
document. A stale downstream means the update after the last edit has not finished, or failed:
the Specs page and `agentops specs` say so, with where to look.
"""

from __future__ import annotations

from pydantic import BaseModel

from agentops_pipelines.artefacts import ArtefactStore

DOWNSTREAM = ("technical_plan", "qa_scores", "pull_request")
RUNS_HINT = "see the spec's runs in the Dagster UI (Runs, filter by partition) and re-execute"


class DownstreamStatus(BaseModel):
    spec_id: str
    stale: list[str] = []  # downstream kinds older than the current spec document
    missing: list[str] = []  # never materialised

    @property
    def fresh(self) -> bool:
        return not self.stale and not self.missing

    def summary(self) -> str:
        if self.fresh:
            return "up to date"
        parts = []
        if self.stale:
            parts.append(f"{', '.join(self.stale)} from an older version")
        if self.missing:
            parts.append(f"{', '.join(self.missing)} not built yet")
        return "; ".join(parts)

    def banner(self) -> str:
        return (
            f"Downstream not current: {self.summary()}. The update after this spec's last edit "
            f"has not finished or failed; {RUNS_HINT}."
        )


def downstream_status(store: ArtefactStore, spec_id: str) -> DownstreamStatus | None:
    """None when the spec has no document (nothing to compare against)."""
    doc_path = store.path_for("spec_document", spec_id)
    if not doc_path.exists():
        return None
    doc_time = doc_path.stat().st_mtime
    stale, missing = [], []
    for kind in DOWNSTREAM:
        path = store.path_for(kind, spec_id)
        if not path.exists():
            missing.append(kind)
        elif path.stat().st_mtime < doc_time:
            stale.append(kind)
    return DownstreamStatus(spec_id=spec_id, stale=stale, missing=missing)
