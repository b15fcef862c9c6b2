"""Review one pull request without a model: requirements touched, tests weakened, test delta,
completion delta, protected paths; every finding on a diff line.

Inputs are two plain folders (the repo at the merge base and at the head), the unified diff
between them and the specs the repository implements.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from agentops_pipelines.codeintel import language_of
from agentops_pipelines.gitops.changes.path_guard import (
    DEFAULT_PROTECTED_PATHS,
    ProtectedPathError,
    check_paths,
)
from agentops_pipelines.qa.sandbox import SandboxLimits
from agentops_pipelines.review.completion import completion_delta, is_must, record_key
from agentops_pipelines.review.coverage import CoverageMap
from agentops_pipelines.review.diff import DiffFile, DiffLine, parse_diff
from agentops_pipelines.review.equivalence import neutral_change, neutral_module_level
from agentops_pipelines.review.models import (
    Finding,
    ReviewReport,
    TestDelta,
    TouchedRequirement,
)
from agentops_pipelines.review.prose import prose
from agentops_pipelines.review.symbols import innermost, symbol_spans
from agentops_pipelines.review.test_run import run_delta
from agentops_pipelines.review.tracemap import (
    RequirementRef,
    TraceMap,
    cited_requirements,
    requirement_index,
    trace_map,
)
from agentops_pipelines.review.weakening import is_test_path, python_tests, weakened_tests
from agentops_pipelines.specs.models import SpecDocument


class ReviewInput(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    repo: str
    number: int
    base_sha: str
    head_sha: str
    base_dir: Path
    head_dir: Path
    diff: str
    specs: list[SpecDocument] = Field(default_factory=list)
    protected_paths: list[str] = Field(default_factory=lambda: list(DEFAULT_PROTECTED_PATHS))
    run_tests: bool = True
    evidence_dir: Path | None = None
    limits: SandboxLimits | None = None


class _Change(BaseModel):
    """One changed definition of a source file, with the first diff line that changed it."""

    file: str
    symbol: str
    at: DiffLine
    neutral: bool
    cited: list[str] = Field(default_factory=list)


def _read(root: Path, path: str | None) -> str | None:
    if not path:
        return None
    full = root / path
    return full.read_text("utf-8", "replace") if full.is_file() else None


def _finding_at(diff: DiffFile, at: DiffLine, **fields) -> Finding:
    return Finding(
        file=diff.path,
        line=at.new_line if at.kind != "removed" else None,
        old_line=at.old_line if at.kind == "removed" else None,
        position=at.position,
        **fields,
    )


def _protected(files: list[DiffFile], protected: list[str]) -> list[Finding]:
    found = []
    for diff in files:
        for path in {diff.path, diff.old_path or diff.path}:
            try:
                check_paths([path], protected)
            except ProtectedPathError as exc:
                found.append(
                    _finding_at(
                        diff,
                        diff.first_line(),
                        kind="protected_path",
                        severity="error",
                        message=f"touches a protected path: {exc}".split(" (protected:")[0],
                    )
                )
                break
    return found


def _changes(diff: DiffFile, base: str | None, head: str | None, reqs) -> list[_Change]:
    """Changed definitions of one source file; module-level edits count as `<module>`."""
    head_spans = symbol_spans(diff.path, head or "")
    base_spans = symbol_spans(diff.old_path or diff.path, base or "")
    changes: dict[str, _Change] = {}
    for line in diff.lines:
        if line.kind == "context":
            continue
        spans, number, text = (
            (head_spans, line.new_line, head)
            if line.kind == "added"
            else (base_spans, line.old_line, base)
        )
        span = innermost(spans, number or 0)
        name = span.name if span else "<module>"
        if name not in changes:
            if span is None:
                neutral = diff.path.endswith(".py") and neutral_module_level(base, head)
            else:
                neutral = diff.path.endswith(".py") and neutral_change(base, head, name)
            changes[name] = _Change(file=diff.path, symbol=name, at=line, neutral=neutral)
        change = changes[name]
        if span is not None and text:
            snippet = "\n".join(text.splitlines()[span.start - 1 : span.end])
        else:
            snippet = line.text
        change.cited = sorted(
            set(change.cited) | set(cited_requirements(prose(diff.path, snippet), reqs))
        )
    return list(changes.values())


class _Context:
    def __init__(self, inp: ReviewInput) -> None:
        self.inp = inp
        self.reqs: dict[str, RequirementRef] = requirement_index(inp.specs)
        self.base: TraceMap = trace_map(inp.base_dir, self.reqs)
        self.head: TraceMap = trace_map(inp.head_dir, self.reqs)
        self.touched: dict[str, TouchedRequirement] = {}

    def touch(self, rid: str, why: str) -> TouchedRequirement:
        ref = self.reqs[rid]
        entry = self.touched.get(rid)
        if entry is None:
            req = ref.requirement
            entry = TouchedRequirement(
                id=rid,
                spec_id=ref.spec_id,
                title=req.title or req.text[:80],
                modal=req.modal or req.priority,
                must=is_must(req),
            )
            self.touched[rid] = entry
        if why not in entry.via:
            entry.via.append(why)
        return entry

    def requirements_of(self, test_id: str) -> list[str]:
        return sorted(self.base.requirements_for(test_id) | self.head.requirements_for(test_id))


def _changed_tests(diff: DiffFile, base: str | None, head: str | None) -> list[str]:
    """Tests whose lines the diff touches (Python); every test of the file otherwise."""
    if not diff.path.endswith(".py"):
        return [diff.path]
    found = set()
    for text, lines, path in (
        (base, diff.removed_lines, diff.old_path or diff.path),
        (head, diff.added_lines, diff.path),
    ):
        for name, test in (python_tests(text or "") or {}).items():
            if any(test.start <= n <= test.end for n in lines):
                found.add(f"{path}::{name}")
    return sorted(found)


def _test_findings(ctx: _Context, files: list[DiffFile]) -> list[Finding]:
    found = []
    for diff in files:
        if not is_test_path(diff.path):
            continue
        base = _read(ctx.inp.base_dir, diff.old_path) if diff.status != "added" else None
        head = _read(ctx.inp.head_dir, diff.path) if diff.status != "removed" else None
        for finding in weakened_tests(diff, base, head):
            rids = ctx.requirements_of(finding.test_id or diff.path)
            if rids:
                finding.requirement_id = rids[0]
                finding.message += f" (proves {', '.join(rids)})"
            found.append(finding)
        for test_id in _changed_tests(diff, base, head):
            for rid in ctx.requirements_of(test_id):
                entry = ctx.touch(rid, f"its test {test_id} changed")
                if test_id not in entry.tests_in_pr:
                    entry.tests_in_pr.append(test_id)
    return found


def _source_findings(
    ctx: _Context, files: list[DiffFile]
) -> tuple[list[Finding], dict[tuple[str, str], set[str]], list[_Change]]:
    changes: list[_Change] = []
    for diff in files:
        if is_test_path(diff.path) or language_of(diff.path) is None:
            continue
        base = _read(ctx.inp.base_dir, diff.old_path) if diff.status != "added" else None
        head = _read(ctx.inp.head_dir, diff.path) if diff.status != "removed" else None
        changes += _changes(diff, base, head, ctx.reqs)
    targets = {(c.file, c.symbol) for c in changes}
    reach: dict[tuple[str, str], set[str]] = {}
    if targets:  # indexing a repo costs seconds: only when source code changed
        cache = ctx.inp.head_dir.parent / "codeintel.json"  # base reuses head's parses
        reach = dict(CoverageMap(ctx.inp.head_dir, cache_path=cache).tests_reaching(targets))
        base_map = CoverageMap(ctx.inp.base_dir, cache_path=cache)
        for target, tests in base_map.tests_reaching(targets).items():
            reach.setdefault(target, set()).update(tests)
    by_path = {d.path: d for d in files}
    found = []
    for change in changes:
        via_tests: dict[str, str] = {}
        for test in sorted(reach.get((change.file, change.symbol), set())):
            for rid in ctx.requirements_of(test):
                via_tests.setdefault(rid, f"{change.file}:{change.symbol} is exercised by {test}")
        for rid in change.cited:
            ctx.touch(rid, f"{change.file}:{change.symbol} cites {rid}")
        for rid, why in via_tests.items():
            ctx.touch(rid, why)
        # code that names its requirement is that requirement's code; a shared helper reached
        # by many tests is attributed to all of them only when it cites none
        owned = change.cited or sorted(via_tests)
        untested = [rid for rid in owned if not ctx.touched[rid].tests_in_pr]
        if change.neutral or not untested:
            continue
        found.append(
            _finding_at(
                by_path[change.file],
                change.at,
                kind="requirement_changed_untested",
                severity="warning",
                message=(
                    f"`{change.symbol}` implements {', '.join(untested)} and changed, but no test "
                    "of it changed in this PR: add or update a test that proves the new behaviour"
                ),
                requirement_id=untested[0],
            )
        )
    return found, reach, changes


def _criteria(ctx: _Context, changes: list[_Change], files: list[DiffFile]) -> list[Finding]:
    """Acceptance criteria of touched requirements that no test covers, at head."""
    found = []
    first = {c.file: c.at for c in changes}
    anchor_file = next((d for d in files if d.path in first), files[0] if files else None)
    for rid, entry in sorted(ctx.touched.items()):
        req = ctx.reqs[rid].requirement
        criteria = [c.id for c in req.acceptance_criteria]
        if not criteria:
            continue
        tests = ctx.head.tests_of.get(rid, set())
        linked = {c for c in criteria if ctx.head.criteria_tests.get(c)}
        uncovered = (
            criteria if not tests else ([c for c in criteria if c not in linked] if linked else [])
        )
        entry.uncovered_criteria = uncovered
        if uncovered and anchor_file is not None:
            at = first.get(anchor_file.path) or anchor_file.first_line()
            found.append(
                _finding_at(
                    anchor_file,
                    at,
                    kind="criteria_uncovered",
                    severity="notice",
                    message=f"{rid}: no test covers {', '.join(uncovered)}",
                    requirement_id=rid,
                )
            )
    return found


def _run_findings(
    ctx: _Context, delta: TestDelta, reach, changes: list[_Change], files: list[DiffFile]
) -> list[Finding]:
    by_key = {record_key(t): t for t in {**ctx.base.requirements_of, **ctx.head.requirements_of}}
    by_path = {d.path: d for d in files}
    found = []
    for key, kind, severity in [
        *((k, "newly_failing", "error") for k in delta.newly_failing),
        *((k, "flaky", "notice") for k in delta.flaky),
    ]:
        test_id = by_key.get(key, key)
        rids = ctx.requirements_of(test_id)
        change = next((c for c in changes if test_id in reach.get((c.file, c.symbol), set())), None)
        if change is None and changes:
            change = changes[0]
        diff = by_path[change.file] if change else (files[0] if files else None)
        if diff is None:
            continue
        at = change.at if change else diff.first_line()
        verb = (
            "now fails at head (it passed at base)"
            if kind == "newly_failing"
            else "is flaky (failed, then passed on a rerun)"
        )
        found.append(
            _finding_at(
                diff,
                at,
                kind=kind,
                severity=severity,
                message=f"test `{test_id}` {verb}"
                + (f"; it proves {', '.join(rids)}" if rids else ""),
                requirement_id=rids[0] if rids else None,
                test_id=test_id,
            )
        )
        for rid in rids:
            ctx.touch(rid, f"its test {test_id} changed result")
    return found


def review_pull(inp: ReviewInput) -> ReviewReport:
    files = parse_diff(inp.diff)
    ctx = _Context(inp)
    findings = _protected(files, inp.protected_paths)
    findings += _test_findings(ctx, files)
    source, reach, changes = _source_findings(ctx, files)
    findings += source
    delta, base_status, head_status = TestDelta(reason="test run disabled"), None, None
    if inp.run_tests:
        evidence = inp.evidence_dir or (inp.head_dir.parent / "evidence")
        delta, _, base_status, head_status = run_delta(
            inp.base_dir, inp.head_dir, evidence, inp.limits
        )
        if not delta.ran:
            base_status = head_status = None
        findings += _run_findings(ctx, delta, reach, changes, files)
    findings += _criteria(ctx, changes, files)
    completion = [
        completion_delta(spec, ctx.base, ctx.head, base_status, head_status) for spec in inp.specs
    ]
    must = set()
    for item in completion:
        must |= {r for r in item.regressed if r in ctx.reqs and is_must(ctx.reqs[r].requirement)}
    for finding in findings:
        rid = finding.requirement_id
        if finding.severity == "error" and rid in ctx.reqs and is_must(ctx.reqs[rid].requirement):
            must.add(rid)
    for rid in sorted(must):
        entry = ctx.touched.get(rid) or ctx.touch(rid, "completion regressed")
        anchor = next((f for f in findings if f.requirement_id == rid and f.position), None)
        if anchor is not None:
            findings.append(
                anchor.model_copy(
                    update={
                        "kind": "must_regressed",
                        "severity": "error",
                        "message": f"{rid} ({entry.modal or 'MUST'}) regresses in this PR",
                    }
                )
            )
    return ReviewReport(
        repo=inp.repo,
        number=inp.number,
        base_sha=inp.base_sha,
        head_sha=inp.head_sha,
        files_changed=[d.path for d in files],
        changed_lines={
            d.path: {
                ln.new_line: ln.position for ln in d.lines if ln.kind == "added" and ln.new_line
            }
            for d in files
        },
        requirements=sorted(ctx.touched.values(), key=lambda r: r.id),
        findings=findings,
        tests=delta,
        completion=completion,
        must_regressed=sorted(must),
    )
