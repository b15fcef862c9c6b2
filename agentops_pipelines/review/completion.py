"""Spec completion at base and head: the QA rule (weighted share of requirements with a linked
passing test), applied to the two sandbox runs of a PR; without a run, to the trace links only.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from agentops_pipelines.qa.config import QAConfig
from agentops_pipelines.qa.results import dotted_key
from agentops_pipelines.review.models import CompletionDelta
from agentops_pipelines.review.tracemap import TraceMap
from agentops_pipelines.specs.models import Requirement, SpecDocument

MUST_LABELS = {"MUST", "SHALL", "P1"}


def is_must(req: Requirement) -> bool:
    return any(label and label.upper() in MUST_LABELS for label in (req.priority, req.modal))


def record_key(test_id: str) -> str:
    """`tests/test_a.py::TestX::test_b` -> `tests.test_a.TestX.test_b` (pytest's JUnit key)."""
    path, _, qualname = test_id.partition("::")
    module = PurePosixPath(path).with_suffix("").as_posix().replace("/", ".")
    return dotted_key(module, qualname.replace("::", ".")) if qualname else module


def _done(req_id: str, trace: TraceMap, statuses: dict[str, str] | None) -> bool:
    tests = trace.tests_of.get(req_id, set())
    if statuses is None:
        return bool(tests)
    return any(statuses.get(record_key(t)) == "passed" for t in tests)


def _score(
    spec: SpecDocument, trace: TraceMap, statuses: dict[str, str] | None, config: QAConfig
) -> tuple[float, set[str]]:
    total = sum(config.weight(r.priority, r.modal) for r in spec.requirements)
    done = {r.id for r in spec.requirements if _done(r.id, trace, statuses)}
    weight = sum(config.weight(r.priority, r.modal) for r in spec.requirements if r.id in done)
    return (round(weight / total, 4) if total else 0.0), done


def completion_delta(
    spec: SpecDocument,
    base: TraceMap,
    head: TraceMap,
    base_status: dict[str, str] | None,
    head_status: dict[str, str] | None,
    config: QAConfig | None = None,
) -> CompletionDelta:
    config = config or QAConfig()
    measured = base_status is not None and head_status is not None
    before, done_before = _score(spec, base, base_status if measured else None, config)
    after, done_after = _score(spec, head, head_status if measured else None, config)
    return CompletionDelta(
        spec_id=spec.spec_id,
        measured=measured,
        base=before,
        head=after,
        regressed=sorted(done_before - done_after),
        gained=sorted(done_after - done_before),
    )
