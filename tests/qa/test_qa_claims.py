"""tasks.md checkboxes as claims beside verified status: "claimed done, not verified"."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.cli.qa import qa_json
from agentops_pipelines.qa.claims import CLAIMED_NOT_VERIFIED, read_tasks, requirement_claims
from agentops_pipelines.qa.pipeline import evaluate, load_spec_file
from agentops_pipelines.qa.rules import load_rules

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
KIRO = SHARED / "repos" / "kiro-handbook-generator" / ".kiro" / "specs" / "handbook-generator"
SPECKIT = SHARED / "repos" / "speckit-community-mgmt" / "specs" / "009-user-directory"
needs_shared = pytest.mark.skipif(not KIRO.is_dir(), reason="../shared/data is not present")


@needs_shared
def test_kiro_tasks_claim_requirements_through_criterion_numbers():
    doc = load_spec_file(KIRO / "requirements.md")
    tasks = read_tasks(KIRO / "tasks.md", [r.id for r in doc.requirements])
    task = next(t for t in tasks if t.task == "2.1")
    assert task.done and task.requirements == ["REQ-5", "REQ-11"]  # _Requirements: 5.3, 11.5_
    claims = requirement_claims(tasks)
    assert claims["REQ-5"].state == "done" and "[x] 2.1" in claims["REQ-5"].tasks


@needs_shared
def test_speckit_tasks_claim_fr_ids_and_story_tags():
    doc = load_spec_file(SPECKIT / "spec.md")
    ids = [r.id for r in doc.requirements]
    tasks = read_tasks(SPECKIT / "tasks.md", ids)
    named = {r for t in tasks for r in t.requirements}
    assert any(r.startswith("FR-") for r in named) and any(r.startswith("US-") for r in named)
    assert set(requirement_claims(tasks)) == named


def test_claimed_done_not_verified_in_json_and_rules(tmp_path):
    spec = tmp_path / "specs" / "001-a" / "spec.md"
    spec.parent.mkdir(parents=True)
    spec.write_text(
        "# A\n\n## Requirements\n\n- **FR-001**: System MUST do a.\n- **FR-002**: System MUST b.\n"
    )
    (spec.parent / "tasks.md").write_text(
        "- [X] T001 Implement a (FR-001)\n- [X] T002 Implement b (FR-002)\n"
        "- [ ] T003 Polish b (FR-002)\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("def test_a():\n    '''FR-001'''\n")
    _, scores = evaluate(load_spec_file(spec), tmp_path / "ev", repo=tmp_path, run_tests=False)
    fr1, fr2 = scores.requirement("FR-001"), scores.requirement("FR-002")
    assert fr1 and fr2
    assert (fr1.claimed, fr1.status, fr1.claimed_not_verified) == ("done", "not_run", True)
    assert fr2.claimed == "partial" and not fr2.claimed_not_verified
    data = qa_json(scores)
    assert data["discrepancies"] == [
        {"kind": CLAIMED_NOT_VERIFIED, "requirement": "FR-001", "tasks": ["[x] T001"]}
    ]
    assert data["requirements"][0]["claimed"] == "done"
    rule = {r.rule_id: r for r in scores.rules}["claimed_done_is_verified"]
    assert not rule.passed and rule.violations == ["FR-001"]
    assert "claimed_done_is_verified" in {r.id for r in load_rules()}
