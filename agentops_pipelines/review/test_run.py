"""The sandboxed test run of a PR: base and head suites in the sandbox, compared per test.

Newly failing = passed (or absent) at base, failed at head; newly passing = the reverse. A test
newly failing is run again at head once: if it passes then, it is flaky, not broken. Base runs
are cached by the content of the base tree, since many PRs share a base.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from agentops_pipelines.qa.discover import has_python_tests
from agentops_pipelines.qa.results import TestRecord
from agentops_pipelines.qa.run import run_pytest
from agentops_pipelines.qa.sandbox import SandboxLimits, SandboxUnavailableError
from agentops_pipelines.review.models import TestDelta

FAILED = ("failed", "error")
Statuses = dict[str, str]
_BASE_CACHE: dict[str, tuple[Statuses, dict[str, TestRecord]]] = {}


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _run(
    root: Path, evidence: Path, limits: SandboxLimits | None
) -> tuple[Statuses, dict[str, TestRecord], str]:
    records, log, problems = run_pytest(root, "repo", evidence, limits)
    statuses: Statuses = {}
    by_key: dict[str, TestRecord] = {}
    for record in records:
        if statuses.get(record.key) in FAILED:
            continue  # a parameter that failed makes the test fail
        statuses[record.key] = record.status
        by_key[record.key] = record
    note = "; ".join(problems)
    if log.killed_by:
        note = f"{note}; killed by the {log.killed_by} limit".strip("; ")
    return statuses, by_key, note


def test_file_of(record: TestRecord | None, key: str) -> str:
    return record.file if record and record.file else key


def run_delta(
    base_dir: Path, head_dir: Path, evidence: Path, limits: SandboxLimits | None = None
) -> tuple[TestDelta, dict[str, TestRecord], Statuses, Statuses]:
    """The delta plus head records (for file/line) and both status maps (for completion)."""
    if not has_python_tests(head_dir) and not has_python_tests(base_dir):
        return (
            TestDelta(reason="no pytest suite at base or head; only Python suites run here"),
            {},
            {},
            {},
        )
    try:
        digest = _tree_digest(base_dir)
        if digest not in _BASE_CACHE:
            statuses, records, _ = _run(base_dir, evidence / "base", limits)
            _BASE_CACHE[digest] = (statuses, records)
        base, _ = _BASE_CACHE[digest]
        head, head_records, note = _run(head_dir, evidence / "head", limits)
    except SandboxUnavailableError as exc:
        return TestDelta(reason=f"sandbox unavailable: {exc}"), {}, {}, {}
    failing = sorted(k for k, s in head.items() if s in FAILED and base.get(k) not in FAILED)
    flaky: list[str] = []
    if failing:
        again, _, _ = _run(head_dir, evidence / "head-rerun", limits)
        flaky = [k for k in failing if again.get(k) == "passed"]
        failing = [k for k in failing if k not in flaky]
    delta = TestDelta(
        ran=True,
        reason=note,
        base_counts=dict(Counter(base.values())),
        head_counts=dict(Counter(head.values())),
        newly_failing=failing,
        newly_passing=sorted(
            k for k, s in head.items() if s == "passed" and base.get(k) != "passed"
        ),
        flaky=flaky,
        disappeared=sorted(k for k in base if k not in head),
    )
    return delta, head_records, base, head
