"""Discrepancy benchmark: inject known spec/code/test discrepancies, count what QA detects.

For each of the three sample repos (examples/repos/) and its spec, on a temporary copy:
1. baseline: run the real QA pipeline (sandboxed pytest, traceability, scores, rules);
2. inject five discrepancies at once (remove a test, break an implementation so its test fails,
   add a requirement with no test, change a requirement after its last green run, add a test
   claiming a requirement that does not exist);
3. rerun with the baseline as the previous score, and count an injection as detected when the
   injected requirement / claimed ID is named by a failing rule that did not name it before.

Prints one line per injection, then `detected=<n> injected=<m> rate=<fraction>`.
Run: .venv/bin/python benchmarks/qa_discrepancies.py
"""

from __future__ import annotations

import ast
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentops_pipelines.qa.discover import test_files  # noqa: E402
from agentops_pipelines.qa.evidence_links import link_tests  # noqa: E402
from agentops_pipelines.qa.pipeline import evaluate, load_spec_file  # noqa: E402
from agentops_pipelines.qa.score_models import QAScores  # noqa: E402


@dataclass
class Case:
    spec: str
    repo: str
    remove_tests_of: str
    break_file: str
    break_from: str
    break_to: str
    broken_requirement: str
    changed_requirement: str
    change_from: str
    change_to: str
    new_requirement_text: str
    new_requirement_after: str | None  # insert before this line; None: append at the end
    orphan_id: str


CASES = [
    Case(
        spec="log-search-cli/spec.md",
        repo="logq",
        remove_tests_of="R4",
        break_file="logq/search.py",
        break_from='"text": line.text})',
        break_to='"text": line.text.upper()})',
        broken_requirement="R6",
        changed_requirement="R3",
        change_from="the `ts`, `time` or `@timestamp` field",
        change_to="the `ts` or `time` field",
        new_requirement_text="10. R10: The CLI shall highlight the matched part of each line.\n",
        new_requirement_after="## Non-functional requirements",
        orphan_id="R99",
    ),
    Case(
        spec="feature-flags/spec.md",
        repo="flagd",
        remove_tests_of="REQ-64015094",
        break_file="flagd/service.py",
        break_from="rules.killed = True",
        break_to="rules.killed = False",
        broken_requirement="REQ-7a969d01",
        changed_requirement="REQ-91cfde8b",
        change_from="keep the records for 2 years",
        change_to="keep the records for 5 years",
        new_requirement_text=(
            "\n### Requirement: Flag tags\n\nThe service SHALL let owners tag flags with labels."
            "\n\n#### Scenario: Tag a flag\n\n- **WHEN** a user tags `new-checkout` with "
            "`payments`\n- **THEN** the flag is listed under that tag\n"
        ),
        new_requirement_after=None,
        orphan_id="REQ-deadbeef",
    ),
    Case(
        spec="auth-login-mfa/requirements.md",
        repo="authmfa",
        remove_tests_of="REQ-6",
        break_file="authmfa/totp.py",
        break_from="(current - 1, current, current + 1)",
        break_to="(current,)",
        broken_requirement="REQ-3",
        changed_requirement="REQ-5",
        change_from="lock that account for 15 minutes",
        change_to="lock that account for 30 minutes",
        new_requirement_text=(
            "\n### Requirement 8: Password reset\n\n**User Story:** As a user, I want to reset my"
            " password, so that I can sign in again.\n\n#### Acceptance Criteria\n\n1. WHEN a "
            "user requests a reset, THE Auth_Service SHALL email a single-use link valid for 30 "
            "minutes.\n"
        ),
        new_requirement_after=None,
        orphan_id="REQ-99",
    ),
]


def remove_linked_tests(repo: Path, requirement_id: str) -> int:
    """Delete every test function linked to the requirement, with the comments above it."""
    removed = 0
    for path in test_files(repo):
        names = {
            ln.test_id.split("::")[-1]
            for ln in link_tests([requirement_id], path)
            if "::" in ln.test_id
        }
        if not names:
            continue
        lines = path.read_text().splitlines(keepends=True)
        spans = []
        for node in ast.parse("".join(lines)).body:
            if isinstance(node, ast.FunctionDef) and node.name in names:
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
                while start > 0 and lines[start - 1].lstrip().startswith("#"):
                    start -= 1
                spans.append((start, node.end_lineno or node.lineno))
        for start, end in sorted(spans, reverse=True):
            del lines[start:end]
            removed += 1
        path.write_text("".join(lines))
    return removed


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    if text.count(old) != 1:
        raise SystemExit(f"{path}: expected exactly one {old!r} to inject a discrepancy")
    path.write_text(text.replace(old, new))


def failing_names(scores: QAScores) -> dict[str, set[str]]:
    return {r.rule_id: set(r.violations) for r in scores.rules if not r.passed}


def named(target: str, violations: dict[str, set[str]]) -> list[str]:
    return [rule for rule, items in violations.items() if any(target in v for v in items)]


def run_case(case: Case, work: Path) -> tuple[list[tuple[str, str, bool, list[str]]], list[str]]:
    """Outcome per injection, and violations that name nothing injected (false alarms)."""
    spec = work / "spec" / Path(case.spec).name
    spec.parent.mkdir(parents=True)
    shutil.copyfile(ROOT / "examples" / "specs" / case.spec, spec)
    repo = work / "repo"
    shutil.copytree(ROOT / "examples" / "repos" / case.repo, repo)
    doc0 = load_spec_file(spec)
    _, baseline = evaluate(doc0, work / "evidence0", repo=repo)
    before = failing_names(baseline)

    assert remove_linked_tests(repo, case.remove_tests_of) > 0
    replace_once(repo / case.break_file, case.break_from, case.break_to)
    replace_once(spec, case.change_from, case.change_to)
    if case.new_requirement_after:
        replace_once(
            spec,
            case.new_requirement_after,
            case.new_requirement_text + "\n" + case.new_requirement_after,
        )
    else:
        spec.write_text(spec.read_text().rstrip("\n") + "\n" + case.new_requirement_text)
    (repo / "tests" / "test_orphan.py").write_text(
        "import pytest\n\n\n"
        f'@pytest.mark.requirement("{case.orphan_id}")\n'
        "def test_claims_a_requirement_that_does_not_exist():\n    assert True\n"
    )
    doc1 = load_spec_file(spec, previous=doc0)
    added = sorted(set(doc1.diff.added if doc1.diff else []))
    _, after = evaluate(doc1, work / "evidence1", repo=repo, previous=baseline)
    now = failing_names(after)
    fresh = {rule: items - before.get(rule, set()) for rule, items in now.items()}
    targets = [
        ("remove a test", case.remove_tests_of),
        ("break an implementation", case.broken_requirement),
        ("add a requirement with no test", added[0] if added else "<not parsed>"),
        ("change a requirement after green", case.changed_requirement),
        ("test linked to a missing requirement", case.orphan_id.upper()),
    ]
    outcomes = [
        (kind, target, bool(named(target, fresh)), named(target, fresh)) for kind, target in targets
    ]
    names = [t for _, t in targets]
    alarms = {v for items in fresh.values() for v in items if not any(t in v for t in names)}
    return outcomes, sorted(alarms)


def main() -> None:
    started = time.perf_counter()
    detected = injected = 0
    false_alarms: list[str] = []
    with tempfile.TemporaryDirectory(prefix="qa-discrepancies-") as tmp:
        for index, case in enumerate(CASES):
            outcomes, alarms = run_case(case, Path(tmp) / str(index))
            false_alarms += [f"{case.spec}:{a}" for a in alarms]
            for kind, target, hit, rules in outcomes:
                injected += 1
                detected += hit
                verdict = "DETECTED" if hit else "missed"
                print(f"{case.spec:32} {kind:38} {target:14} {verdict:9} {','.join(rules)}")
    print(f"false_alarms={len(false_alarms)} {' '.join(false_alarms)}".rstrip())
    print(f"elapsed_s={time.perf_counter() - started:.1f}")
    print(f"detected={detected} injected={injected} rate={detected / injected:.3f}")


if __name__ == "__main__":
    main()
