"""The Streamlit Git page through AppTest: a proposal shown with its diff, decided with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agentops_pipelines.gitops.changes.audit import audit_trail
from agentops_pipelines.gitops.changes.proposals import (
    ProposedChange,
    ProposedFile,
    get_proposal,
    upsert_proposal,
)
from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.store.db import open_store

PAGE = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages" / "git.py"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'app.db'}"
    monkeypatch.setenv("AGENTOPS_HOME", str(home))
    monkeypatch.setenv("AGENTOPS_DB_URL", url)
    monkeypatch.delenv("AGENTOPS_GITHUB_TOKEN", raising=False)
    sessions = open_store(url)
    save_link(sessions, RepoLink(repo="acme/shop", remote_url="/x.git", implements="*"))
    proposal, _ = upsert_proposal(
        sessions,
        ProposedChange(
            spec_id="s/spec.md",
            repo="acme/shop",
            base="main",
            branch="agentops/s/tasks-checklist",
            title="Checklist",
            source="plan_checklist",
            task_ids=["T-1"],
            files=[ProposedFile(path="docs/tasks.md", content="- [ ] T-1\n")],
            diff="--- /dev/null\n+++ b/docs/tasks.md\n+- [ ] T-1\n",
        ),
    )
    return sessions, proposal.id


def test_git_page_lists_and_rejects_with_reason(store, monkeypatch) -> None:
    sessions, proposal_id = store
    monkeypatch.setenv("AGENTOPS_DEV_ADMIN", "ana")  # the signed-in reviewer
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception
    assert any("+- [ ] T-1" in c.value for c in at.code)
    at.button[1].click().run()  # reject without a reason
    assert any("reason is required" in e.value for e in at.error)
    assert get_proposal(sessions, proposal_id).status == "proposed"
    at.text_area(key=f"reason-{proposal_id}").input("not this sprint")
    at.button[1].click().run()
    assert get_proposal(sessions, proposal_id).status == "rejected"
    assert [(a.actor, a.action) for a in audit_trail(sessions, proposal_id)] == [("ana", "reject")]


def test_git_page_says_plainly_when_an_approval_waits_for_a_token(store, monkeypatch) -> None:
    sessions, proposal_id = store
    monkeypatch.setenv("AGENTOPS_DEV_ADMIN", "ana")  # the signed-in reviewer
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    at.text_area(key=f"reason-{proposal_id}").input("ship it")
    at.button[0].click().run()  # approve, with no AGENTOPS_GITHUB_TOKEN
    assert get_proposal(sessions, proposal_id).status == "approved"
    assert not at.success
    assert any("NOT pushed" in w.value and "AGENTOPS_GITHUB_TOKEN" in w.value for w in at.warning)


def test_git_page_hint_names_the_put_route(tmp_path: Path, monkeypatch) -> None:
    """The empty state's route is the one the API serves (PUT; POST answers 405)."""
    from fastapi.routing import APIRoute

    from agentops_pipelines.api.git_changes import router

    home = tmp_path / "empty"
    home.mkdir()
    monkeypatch.setenv("AGENTOPS_HOME", str(home))
    monkeypatch.setenv("AGENTOPS_DB_URL", f"sqlite:///{home / 'app.db'}")
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    hint = next(i.value for i in at.info if "/api/git/links" in i.value)
    assert "PUT /api/git/links" in hint
    methods = {
        m
        for r in router.routes
        if isinstance(r, APIRoute) and r.path.endswith("/links")
        for m in r.methods
    }
    assert "PUT" in methods and "POST" not in methods
