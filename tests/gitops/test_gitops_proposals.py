"""Proposed changes: built from codegen output or the task checklist, stored, decided, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitops_repos import sample_graph as graph

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.gitops.changes.approval import ApprovalError, decide
from agentops_pipelines.gitops.changes.audit import audit_trail
from agentops_pipelines.gitops.changes.builder import build_change
from agentops_pipelines.gitops.changes.path_guard import ProtectedPathError
from agentops_pipelines.gitops.changes.proposals import get_proposal, upsert_proposal
from agentops_pipelines.gitops.links.repo_links import RepoLink, link_for_spec, save_link
from agentops_pipelines.store.db import open_store

LINK = RepoLink(repo="acme/shop", remote_url="/nowhere.git", implements="billing/*")


@pytest.fixture
def sessions(tmp_path: Path):
    return open_store(f"sqlite:///{tmp_path / 'app.db'}")


def write_generated(store: ArtefactStore, workspace: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (workspace / path).parent.mkdir(parents=True, exist_ok=True)
        (workspace / path).write_text(text)
    outcomes = [
        {"task_id": "generate_code/api/REQ-1", "status": "kept", "files": list(files)},
        {"task_id": "test/api/REQ-2", "status": "rejected", "files": []},
    ]
    payload = {"workspace": str(workspace), "files_written": list(files), "outcomes": outcomes}
    store.write_text("generated_code", "billing/spec.md", json.dumps(payload))


def test_checklist_change_when_codegen_did_not_run(tmp_path: Path) -> None:
    store = ArtefactStore(tmp_path / "artefacts")
    store.write_text("qa_scores", "billing/spec.md", json.dumps({"completion": 0.5, "rows": []}))
    change = build_change(graph(), LINK, store)
    assert change.source == "plan_checklist"
    assert change.branch == "agentops/billing-spec/tasks-checklist"
    [file] = change.files
    assert file.path == "docs/agentops/billing-spec/tasks.md"
    assert "- [ ] `generate_code/api/REQ-1`" in (file.content or "")
    assert change.task_ids == ["generate_code/api/REQ-1", "test/api/REQ-2"]
    assert change.evidence["qa_scores"] == {"completion": 0.5}  # scalars only
    assert change.diff.startswith("--- /dev/null\n+++ b/docs/agentops/billing-spec/tasks.md")


def test_summary_carries_a_plan_excerpt_cut_at_a_line(tmp_path: Path) -> None:
    store = ArtefactStore(tmp_path / "artefacts")
    assert "Plan excerpt" not in build_change(graph(), LINK, store).summary  # no plan yet
    architecture = "## Architecture\n\n" + "".join(f"- component {i}\n" for i in range(200))
    plan = {
        "sections": [
            {"name": "context", "markdown": "ctx"},
            {"name": "architecture", "markdown": architecture},
        ]
    }
    store.write_text("technical_plan", "billing/spec.md", json.dumps(plan))
    summary = build_change(graph(), LINK, store).summary
    excerpt = summary.split("Plan excerpt:\n\n", 1)[1]
    assert excerpt.startswith("## Architecture") and "ctx" not in summary
    assert "- component 3\n" in excerpt and "- component 199" not in excerpt
    assert excerpt.endswith("(excerpt; the whole plan is the spec's technical_plan asset)")


def test_generated_code_wins_and_diffs_against_the_base(tmp_path: Path) -> None:
    store = ArtefactStore(tmp_path / "artefacts")
    write_generated(store, tmp_path / "ws", {"src/api.py": "def api():\n    return 2\n"})
    base = {"src/api.py": "def api():\n    return 1\n"}
    change = build_change(graph(), LINK, store, base.get)
    assert change.source == "generated_code"
    assert change.task_ids == ["generate_code/api/REQ-1"] and change.requirement_ids == ["REQ-1"]
    assert "-    return 1\n+    return 2\n" in change.diff
    assert change.branch.startswith("agentops/billing-spec/generate_code-api-req-1-")


def test_generated_protected_path_is_refused(tmp_path: Path) -> None:
    store = ArtefactStore(tmp_path / "artefacts")
    write_generated(store, tmp_path / "ws", {".github/workflows/ci.yml": "on: push\n"})
    with pytest.raises(ProtectedPathError, match="ci.yml"):
        build_change(graph(), LINK, store)


def test_upsert_is_idempotent_and_new_content_needs_new_approval(sessions, tmp_path: Path):
    store = ArtefactStore(tmp_path / "artefacts")
    change = build_change(graph(), LINK, store)
    first, outcome = upsert_proposal(sessions, change)
    assert outcome == "created" and first.status == "proposed"
    assert upsert_proposal(sessions, change)[1] == "unchanged"
    decide(sessions, first.id, approve=True, actor="ana", reason="ok")
    edited = change.model_copy(
        update={"files": [f.model_copy(update={"content": "x"}) for f in change.files]}
    )
    again, outcome = upsert_proposal(sessions, edited)
    assert outcome == "updated" and again.id == first.id and again.status == "proposed"
    assert [a.action for a in audit_trail(sessions, first.id)] == ["approve", "reproposed"]


def test_decisions_need_a_reason_and_a_proposed_change(sessions, tmp_path: Path) -> None:
    proposal, _ = upsert_proposal(sessions, build_change(graph(), LINK, ArtefactStore(tmp_path)))
    with pytest.raises(ApprovalError, match="reason is required when rejecting"):
        decide(sessions, proposal.id, approve=False, actor="ana", reason="  ")
    with pytest.raises(ApprovalError, match="reviewer name is empty"):
        decide(sessions, proposal.id, approve=True, actor="", reason="fine")
    rejected = decide(sessions, proposal.id, approve=False, actor="ana", reason="wrong stack")
    assert (
        rejected.status == "rejected" and get_proposal(sessions, proposal.id).status == "rejected"
    )
    with pytest.raises(ApprovalError, match="is rejected, not proposed"):
        decide(sessions, proposal.id, approve=True, actor="bo", reason="changed my mind")
    [entry] = audit_trail(sessions, proposal.id)
    assert (entry.actor, entry.action, entry.reason) == ("ana", "reject", "wrong stack")
    with pytest.raises(ApprovalError, match="does not exist"):
        decide(sessions, 999, approve=True, actor="ana", reason="x")


def test_links_match_specs_by_glob(sessions) -> None:
    save_link(sessions, LINK)
    assert link_for_spec(sessions, "billing/spec.md") == LINK
    assert link_for_spec(sessions, "other/spec.md") is None
    with pytest.raises(ValueError, match="owner/name"):
        save_link(sessions, RepoLink(repo="shop", remote_url="/x"))
