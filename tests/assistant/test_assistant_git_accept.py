"""Accept through the Git approval flow: where a Git link covers the spec, accepting a suggestion
creates a proposal (patched spec file + diff) for a reviewer on the Git page and leaves the spec
file alone; without a link the spec file is written as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agentops_pipelines.api.app import create_app
from agentops_pipelines.assistant import feedback, suggestion_store
from agentops_pipelines.assistant.review import ReviewError
from agentops_pipelines.assistant.specgpt import SpecGPT
from agentops_pipelines.gitops.changes.approval import decide
from agentops_pipelines.gitops.changes.audit import audit_trail
from agentops_pipelines.gitops.changes.proposals import get_proposal, list_proposals
from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.settings import load_settings
from tests.auth_support import api_client, auth_headers

SPEC = "log-search-cli/spec.md"
R5_LINE = "Given the preconditions of R5 hold"
PAGE = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages" / "specgpt.py"


def link_specs(specgpt: SpecGPT, implements: str = "log-search-cli/*") -> RepoLink:
    return save_link(
        specgpt.sessions,
        RepoLink(
            repo="acme/specs",
            remote_url="/srv/git/specs.git",
            base_branch="trunk",
            spec_root="docs/specs",
            implements=implements,
        ),
    )


def r5(specgpt: SpecGPT):
    return next(s for s in specgpt.suggest(SPEC, "ada") if s.requirement_id == "R5")


def test_assistant_git_accept_proposes_instead_of_writing(specgpt_home: Path) -> None:
    specgpt = SpecGPT()
    link_specs(specgpt)
    spec_file = specgpt_home / "specs" / SPEC
    before = spec_file.read_text()
    suggestion = r5(specgpt)

    outcome = specgpt.accept(suggestion.id, "grace")

    assert spec_file.read_text() == before  # nothing written until a reviewer approves
    assert outcome.status == "pending_approval" and outcome.path is None
    assert outcome.repo == "acme/specs" and outcome.proposal_id is not None
    assert f"Git change #{outcome.proposal_id}" in outcome.message
    assert "approve it on the Git page" in outcome.message
    proposal = get_proposal(specgpt.sessions, outcome.proposal_id)
    assert proposal.status == "proposed" and proposal.source == "spec_suggestion"
    assert (proposal.repo, proposal.base) == ("acme/specs", "trunk")
    assert proposal.branch == outcome.branch
    assert proposal.branch.startswith(
        f"agentops/log-search-cli-spec/specgpt-suggestion-{suggestion.id}-"
    )
    [file] = proposal.files
    assert file.path == f"docs/specs/{SPEC}"
    assert R5_LINE in (file.content or "") and file.content != before
    assert proposal.diff.startswith(f"--- a/docs/specs/{SPEC}\n+++ b/docs/specs/{SPEC}\n")
    added = [line for line in proposal.diff.splitlines() if line.startswith("+")]
    assert any(R5_LINE in line for line in added)
    assert not [
        line for line in proposal.diff.splitlines() if line.startswith("-") and "---" not in line
    ]
    assert proposal.requirement_ids == ["R5"]
    assert proposal.title == f"SpecGPT: {suggestion.title} ({SPEC})"
    assert f"#{suggestion.id}" in proposal.summary and "accepted by grace" in proposal.summary
    assert proposal.evidence["specgpt"] == {
        "suggestion_id": suggestion.id,
        "kind": "missing_acceptance_criteria",
        "template": "suggest.en.v1",
        "template_version": "v1",
        "model": "rules-draft-v1",
        "suggested_by": "ada",
        "accepted_by": "grace",
    }

    [listed] = suggestion_store.list_suggestions(specgpt.sessions, SPEC, status="pending_approval")
    assert (listed.id, listed.decided_by) == (suggestion.id, "grace")
    assert (listed.proposal_id, listed.proposal_status) == (outcome.proposal_id, "proposed")
    with pytest.raises(ReviewError, match="already pending_approval"):
        specgpt.accept(suggestion.id, "grace")
    (rate,) = feedback.acceptance_rates(specgpt.sessions)
    assert rate.accepted == 1  # the human accepted it: it counts, whatever the reviewer says

    decide(specgpt.sessions, outcome.proposal_id, approve=True, actor="rev", reason="reads well")
    [listed] = suggestion_store.list_suggestions(specgpt.sessions, SPEC, status="pending_approval")
    assert listed.proposal_status == "approved"
    assert [a.action for a in audit_trail(specgpt.sessions, outcome.proposal_id)] == ["approve"]
    assert spec_file.read_text() == before


def test_assistant_git_accept_without_a_link_writes_the_file(specgpt_home: Path) -> None:
    specgpt = SpecGPT()
    link_specs(specgpt, implements="billing-invoices/*")  # a link, but for another spec
    spec_file = specgpt_home / "specs" / SPEC
    outcome = specgpt.accept(r5(specgpt).id, "grace")
    assert outcome.status == "accepted" and outcome.proposal_id is None
    assert outcome.path == spec_file.resolve() and R5_LINE in spec_file.read_text()
    assert outcome.message.startswith("Accepted #") and "spec.md was updated" in outcome.message
    assert list_proposals(specgpt.sessions) == []


def test_assistant_git_accept_keeps_conflicts_out_of_git(specgpt_home: Path) -> None:
    specgpt = SpecGPT()
    link_specs(specgpt)
    r8 = next(s for s in specgpt.suggest(SPEC, "ada") if s.requirement_id == "R8")
    spec_file = specgpt_home / "specs" / SPEC
    spec_file.write_text(spec_file.read_text().replace("if possible", "when listed in the config"))
    with pytest.raises(ReviewError, match="regenerate the suggestion"):
        specgpt.accept(r8.id, "grace")
    conflicts = suggestion_store.list_suggestions(specgpt.sessions, SPEC, status="conflict")
    assert conflicts[0].id == r8.id
    assert list_proposals(specgpt.sessions) == []


def test_assistant_git_accept_api_and_page_name_the_proposal(specgpt_home: Path) -> None:
    specgpt = SpecGPT()
    link_specs(specgpt)
    spec_file = specgpt_home / "specs" / SPEC
    before = spec_file.read_text()
    first, second, *_ = specgpt.suggest(SPEC, "ada")
    client = api_client(create_app(load_settings()), "vic", "viewer")
    ada = auth_headers(client.app, "ada", "reviewer")  # type: ignore[arg-type]
    response = client.post(f"/api/assistant/suggestions/{first.id}/accept", headers=ada)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "pending_approval" and body["path"] is None
    assert body["spec_id"] == SPEC and body["repo"] == "acme/specs"
    assert get_proposal(specgpt.sessions, body["proposal_id"]).branch == body["branch"]
    assert "Git page" in body["message"]
    listed = client.get("/api/assistant/suggestions", params={"status": "pending_approval"})
    assert [s["proposal_id"] for s in listed.json()] == [body["proposal_id"]]
    assert spec_file.read_text() == before

    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    at.selectbox(key="specgpt_spec").set_value(SPEC).run()
    at.button(key=f"accept-{second.id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    second_proposal = next(
        p for p in list_proposals(specgpt.sessions) if p.id != body["proposal_id"]
    )
    assert any(f"Git change #{second_proposal.id}" in s.value for s in at.success)
    waiting = [i.value for i in at.info if "waiting for approval as Git change" in i.value]
    assert len(waiting) == 2 and spec_file.read_text() == before
