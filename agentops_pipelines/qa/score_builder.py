"""Per-requirement QA status and the Spec Completion Score, from real results only.

Completion = sum of weights of requirements with at least one linked passing test, divided by
the sum of all weights. A requirement's own status is stricter: one failing repo/CI test makes
it `failing`; generated skeletons are never evidence: with only those it stays `untested`.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from agentops_pipelines.qa.claims import read_tasks, requirement_claims, tasks_file_for
from agentops_pipelines.qa.config import QAConfig
from agentops_pipelines.qa.discover import test_files
from agentops_pipelines.qa.heatmap import FACTORS, heat_rows
from agentops_pipelines.qa.junit import JUnitFormatError, TestReport, parse_junit
from agentops_pipelines.qa.orphans import find_orphans
from agentops_pipelines.qa.parsed_python import parsed
from agentops_pipelines.qa.result_matching import ResolvedLink, aggregate_status, resolve_links
from agentops_pipelines.qa.results import TestResults
from agentops_pipelines.qa.scoped_links import (
    CitationScope,
    ambiguous_for,
    scope_for,
    scoped_citations,
)
from agentops_pipelines.qa.score_models import (
    LinkedTest,
    QAScores,
    RequirementQA,
    RequirementStatus,
)
from agentops_pipelines.specs.models import Requirement, SpecDocument

AmbiguityHook = Callable[[Requirement], int]


def build_scores(
    doc: SpecDocument,
    results: TestResults,
    config: QAConfig,
    previous: QAScores | None = None,
    ambiguity: AmbiguityHook | None = None,
    scope: CitationScope | None = None,
) -> QAScores:
    ids = [r.id for r in doc.requirements]
    if scope is None and results.roots:
        scope = scope_for(doc, Path(results.repo) if results.repo else None)
    links = resolve_links(ids, results, scope)
    history = _history(previous, links, config.history_length)
    changed = set(doc.diff.added + doc.diff.changed) if doc.diff else set()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    requirements = []
    for req in doc.requirements:
        mine = [ln for ln in links if ln.requirement_id == req.id]
        tests = [_linked(ln) for ln in mine]
        status = _status(tests)
        flips = [_flakiness(history.get(t.test_id, [])) for t in tests]
        qa = RequirementQA(
            id=req.id,
            title=req.title or req.text[:80],
            modal=req.modal,
            priority=req.priority,
            weight=config.weight(req.priority, req.modal),
            status=status,
            tests=tests,
            last_result=_last_result(tests),
            flakiness=max([*flips, *(1.0 for t in tests if t.flaky)], default=0.0),
            ambiguity=ambiguity(req) if ambiguity else None,
            changed=req.id in changed,
            content_hash=req.content_hash,
            tests_fingerprint=_tests_fingerprint(mine, results),
        )
        _carry_green(qa, previous.requirement(req.id) if previous else None, now)
        requirements.append(qa)
    _set_claims(doc, requirements, scope)
    total = sum(r.weight for r in requirements)
    done = sum(r.weight for r in requirements if r.has_passing_test)
    scores = QAScores(
        spec_id=doc.spec_id,
        computed_at=now,
        commit=results.commit,
        completion_score=round(done / total, 4) if total else 0.0,
        weight_total=total,
        weight_done=done,
        requirements=requirements,
        orphans=find_orphans(ids, _all_test_files(results), _reports(results)),
        factors=list(FACTORS),
        test_history=history,
        problems=list(results.problems)
        + [f"environment ({p.kind}): {p.message}" for p in results.env_problems],
    )
    if scope is not None:
        for root in results.roots.values():
            scores.ambiguous_citations += ambiguous_for(scope, scoped_citations(scope, Path(root)))
    scores.heatmap = heat_rows(scores.requirements, config)
    return scores


def _set_claims(
    doc: SpecDocument, requirements: list[RequirementQA], scope: CitationScope | None
) -> None:
    """Each requirement's claimed state from its spec's tasks.md, beside the verified one."""
    if doc.source is None:
        return
    spec_path = Path(doc.source.root) / doc.source.path
    tasks_path = tasks_file_for(spec_path, scope.spec.companions if scope else None)
    if tasks_path is None:
        return
    claims = requirement_claims(read_tasks(tasks_path, [r.id for r in requirements]))
    for req in requirements:
        if claim := claims.get(req.id):
            req.claimed, req.claimed_tasks = claim.state, claim.tasks


def _linked(link: ResolvedLink) -> LinkedTest:
    records = link.records
    first = next((r for r in records if r.status in ("failed", "error")), None) or (
        records[0] if records else None
    )
    return LinkedTest(
        test_id=link.test_id,
        origin=link.origin,
        link_kind=link.link.source.kind,
        file=link.link.source.file,
        line=link.link.source.line,
        result=aggregate_status(records),
        duration=round(sum(r.duration for r in records), 4),
        message=first.message if first else None,
        evidence=first.evidence if first else None,
        flaky=any(r.flaky for r in records),
        link_evidence=link.link.source.evidence,
        cited=link.link.source.cited,
    )


def _status(tests: list[LinkedTest]) -> RequirementStatus:
    if not tests:
        return "untested"
    real = [t for t in tests if t.origin != "generated"]
    if any(t.result in ("failed", "error") for t in real):
        return "failing"
    if any(t.result == "passed" for t in tests):
        return "passing"
    if not real:  # a generated skeleton is not evidence: failing, it still means untested
        return "untested"
    return "not_run"


def _last_result(tests: list[LinkedTest]) -> str:
    results = {t.result for t in tests}
    for status in ("error", "failed", "passed", "xfail", "skipped"):
        if status in results:
            return status
    return "not_run"


def _history(
    previous: QAScores | None, links: list[ResolvedLink], keep: int
) -> dict[str, list[str]]:
    history = {k: list(v) for k, v in (previous.test_history if previous else {}).items()}
    for link in links:
        if link.records:
            runs = history.setdefault(link.test_id, [])
            if link.requirement_id == _first_req(links, link.test_id):
                runs.append(aggregate_status(link.records))
                del runs[:-keep]
    return history


def _first_req(links: list[ResolvedLink], test_id: str) -> str:
    """A test linked to two requirements is one run, not two: record it once."""
    return next(ln.requirement_id for ln in links if ln.test_id == test_id)


def _flakiness(runs: list[str]) -> float:
    """Share of consecutive runs whose verdict flipped between pass and fail (>= 2 flips)."""
    verdicts = [r for r in runs if r in ("passed", "failed", "error")]
    if len(verdicts) < 2:
        return 0.0
    pairs = zip(verdicts, verdicts[1:], strict=False)
    flips = sum((a == "passed") != (b == "passed") for a, b in pairs)
    if flips < 2:  # one flip is a regression or a fix, not flakiness: it has to come back
        return 0.0
    return round(flips / (len(verdicts) - 1), 3)


def _tests_fingerprint(links: list[ResolvedLink], results: TestResults) -> str:
    """Hash of the linked tests' source: changes when someone edits those tests.

    Python tests are hashed function by function (decorators included), so editing another
    test in the same file does not count as updating this requirement's tests; other languages
    fall back to the whole file.
    """
    parts = sorted({_test_source_hash(ln, results) for ln in links})
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16] if parts else ""


def _test_source_hash(link: ResolvedLink, results: TestResults) -> str:
    path_text, _, qualname = link.link.test_id.partition("::")
    file_hash = results.test_files.get(link.link.source.file, "")
    if not path_text.endswith(".py") or not qualname:
        return f"{Path(link.link.source.file).name}:{file_hash}"
    source = _function_source(Path(path_text), qualname)
    digest = hashlib.sha256(source.encode()).hexdigest() if source else file_hash
    return f"{Path(path_text).name}::{qualname}:{digest}"


def _function_source(path: Path, qualname: str) -> str | None:
    read = parsed(path)
    if read is None:
        return None
    text, tree = read
    body: list[ast.stmt] = tree.body
    lines = text.splitlines()
    node: ast.stmt | None = None
    for part in qualname.split("::"):
        node = next((n for n in body if getattr(n, "name", None) == part), None)
        if node is None:
            return None
        body = getattr(node, "body", [])
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return "\n".join(lines[first - 1 : node.end_lineno or node.lineno])


def _carry_green(qa: RequirementQA, before: RequirementQA | None, now: str) -> None:
    """A new green baseline needs passing tests that were written or edited for this text.

    If the requirement text changed but its tests did not, the old green run proves the old
    text only: `changed_since_green` stays set until the tests change and pass again.
    """
    if before is not None:
        qa.last_green_hash = before.last_green_hash
        qa.last_green_tests = before.last_green_tests
        qa.last_green_at = before.last_green_at
    stale = (
        qa.last_green_hash is not None
        and qa.last_green_hash != qa.content_hash
        and qa.last_green_tests == qa.tests_fingerprint
    )
    qa.changed_since_green = stale
    if qa.status == "passing" and not stale:
        qa.last_green_hash = qa.content_hash
        qa.last_green_tests = qa.tests_fingerprint
        qa.last_green_at = now


def _all_test_files(results: TestResults) -> list[Path]:
    return [p for root in results.roots.values() for p in test_files(Path(root))]


def _reports(results: TestResults) -> list[TestReport]:
    reports = []
    for evidence in sorted({r.evidence for r in results.records}):
        try:
            reports.append(parse_junit(Path(evidence)))
        except JUnitFormatError:
            continue
    return reports
