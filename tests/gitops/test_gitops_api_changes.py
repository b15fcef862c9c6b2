"""The /api/git routes: link a repo, list a proposal, decide it with a reviewer and a reason."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from agentops_pipelines.api.app import create_app
from agentops_pipelines.gitops.changes.proposals import (
    ProposedChange,
    ProposedFile,
    upsert_proposal,
)
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import open_store
from tests.auth_support import api_client, auth_headers


def test_git_api_links_lists_and_decides(agentops_home: Path, monkeypatch) -> None:
    monkeypatch.delenv("AGENTOPS_GITHUB_TOKEN", raising=False)
    settings = load_settings()
    client = api_client(create_app(settings), "olga", "owner")  # links need an admin
    link = {"repo": "acme/shop", "remote_url": "/x.git", "implements": "*"}
    assert client.put("/api/git/links", json=link).status_code == 200
    assert client.put("/api/git/links", json=link | {"repo": "shop"}).status_code == 422
    assert [x["repo"] for x in client.get("/api/git/links").json()] == ["acme/shop"]
    proposal, _ = upsert_proposal(
        open_store(settings.app_db_url),
        ProposedChange(
            spec_id="s/spec.md",
            repo="acme/shop",
            base="main",
            branch="agentops/s/tasks-checklist",
            title="Checklist",
            source="plan_checklist",
            task_ids=["T-1"],
            files=[ProposedFile(path="docs/tasks.md", content="- [ ] T-1\n")],
        ),
    )
    [listed] = client.get("/api/git/proposals", params={"status": "proposed"}).json()
    assert listed["id"] == proposal.id and listed["files"][0]["path"] == "docs/tasks.md"
    url = f"/api/git/proposals/{proposal.id}/decision"
    anonymous = TestClient(client.app).post(url, json={"approve": True, "reason": "fine"})
    assert anonymous.status_code == 401 and "Bearer" in anonymous.json()["detail"]
    ana = auth_headers(client.app, "ana", "reviewer")  # type: ignore[arg-type]
    assert client.post(url, json={"approve": True, "reason": ""}, headers=ana).status_code == 422
    # Approved without a Git host configured: recorded, waiting to be pushed.
    done = client.post(url, json={"approve": True, "reason": "ok"}, headers=ana)
    assert done.status_code == 200 and done.json()["status"] == "approved"
    audit = client.get(f"/api/git/proposals/{proposal.id}/audit").json()
    assert [(a["actor"], a["action"], a["reason"]) for a in audit] == [("ana", "approve", "ok")]
    assert client.get("/api/git/proposals/999").status_code == 404
