"""Is a spec's downstream (plan, QA, PR proposal) from the spec's current version?

Dagster-free: compares the artefacts themselves. The plan records the spec content hash it was
built from; QA scores and the PR proposal are stale when written before the current spec
document. A stale downstream means the update after the last edit has not finished, or failed:
the Specs page and `agentops specs` say so, with where to look.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from agentops_pipelines.artefacts import ArtefactStore

DOWNSTREAM = ("technical_plan", "qa_scores", "pull_request")
RUNS_HINT = "see the spec's runs in the Dagster UI (Runs, filter by partition) and re-execute"


class LastFailure(BaseModel):
    """The spec's latest pipeline run, when it failed: what to show and what to retry."""

    run_id: str
    reason: str  # redacted, one line
    step: str | None = None
    at: float | None = None  # run end, unix seconds


class DownstreamStatus(BaseModel):
    spec_id: str
    stale: list[str] = []  # downstream kinds older than the current spec document
    missing: list[str] = []  # never materialised
    built_from: str | None = None  # the spec version (content hash) the plan was built from
    current: str | None = None  # the spec version now
    failure: LastFailure | None = None

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
        """'plan and QA are from version X; the last update failed: reason, retry' when known."""
        version = ""
        if self.stale and self.built_from and self.built_from != self.current:
            version = f" (built from version {self.built_from[:8]}, the spec is now at "
            version += f"{(self.current or '?')[:8]})"
        head = f"Downstream not current: {self.summary()}{version}."
        if self.failure is not None:
            step = f" in {self.failure.step}" if self.failure.step else ""
            return (
                f"{head} The last update failed{step}: {self.failure.reason} "
                f"(run {self.failure.run_id[:8]}). Retry: press Retry here, or re-execute the "
                "run in the Dagster UI."
            )
        pending = "The update after this spec's last edit has not finished or failed"
        return f"{head} {pending}; {RUNS_HINT}."


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
    return DownstreamStatus(
        spec_id=spec_id,
        stale=stale,
        missing=missing,
        built_from=_plan_version(store, spec_id),
        current=_document_version(store, spec_id),
    )


def _plan_version(store: ArtefactStore, spec_id: str) -> str | None:
    """The spec content hash the plan records; None when there is no readable plan."""
    return _field(store, "technical_plan", spec_id, "spec_content_hash")


def _document_version(store: ArtefactStore, spec_id: str) -> str | None:
    return _field(store, "spec_document", spec_id, "content_hash")


def _field(store: ArtefactStore, kind: str, spec_id: str, name: str) -> str | None:
    """One top-level string of a JSON artefact, tolerant of a damaged or foreign file."""
    try:
        value = json.loads(store.path_for(kind, spec_id).read_text(encoding="utf-8")).get(name)
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
