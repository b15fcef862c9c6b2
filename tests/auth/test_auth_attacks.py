"""Each attack of issue 16, tried again as an outsider would: none of them gets in now."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from agentops_pipelines.api.auth_layer import auth_store
from agentops_pipelines.auth import audit
from agentops_pipelines.gitops.changes.approval import ApprovalError, decide
from agentops_pipelines.gitops.changes.proposals import (
    ProposedChange,
    ProposedFile,
    get_proposal,
    upsert_proposal,
)
from agentops_pipelines.gitops.hosts.github_host import GitHubHost
from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.gitops.push.git_client import _env
from agentops_pipelines.gitops.push.publish import PublishConfig, publish
from tests.auth_support import auth_headers

TOKEN = "ghp_attack_test_token_0123456789abcdef"
GIT = "/api/git"


def _proposal(app: FastAPI, repo: str = "acme/shop") -> int:
    change = ProposedChange(
        spec_id="s/spec.md",
        repo=repo,
        base="main",
        branch="agentops/s/t-1",
        title="T-1",
        source="plan_checklist",
        task_ids=["T-1"],
        files=[ProposedFile(path="docs/t.md", content="x\n")],
    )
    proposal, _ = upsert_proposal(auth_store(app.state.settings.app_db_url), change)
    return proposal.id


def test_attack_token_theft_link_repointing_is_refused(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    evil = {"repo": "acme/shop", "remote_url": "https://evil.example/acme/shop.git"}
    spoof = {"X-AgentOps-User": "admin", "X-AgentOps-Workspace": "default"}
    assert client.put(f"{GIT}/links", json=evil).status_code == 401
    assert client.put(f"{GIT}/links", json=evil, headers=spoof).status_code == 401
    maintainer = auth_headers(full_app, "max", "maintainer")
    assert client.put(f"{GIT}/links", json=evil, headers=maintainer).status_code == 403
    admin = auth_headers(full_app, "olga", "owner")
    refused = client.put(f"{GIT}/links", json=evil, headers=admin)
    assert refused.status_code == 422 and "evil.example" in refused.json()["detail"]
    for bad in ("http://github.com/a/b.git", "https://x:y@github.com/a/b.git", "/tmp/bare.git"):
        body = evil | {"remote_url": bad}
        assert client.put(f"{GIT}/links", json=body, headers=admin).status_code == 422, bad
    good = evil | {"remote_url": "https://github.com/acme/shop.git"}
    assert client.put(f"{GIT}/links", json=good, headers=admin).status_code == 200
    changes = audit.events(auth_store(full_app.state.settings.app_db_url), "default", "link.change")
    assert [(e.actor, e.detail["to"]) for e in changes] == [  # type: ignore[index]
        ("olga", "https://github.com/acme/shop.git")
    ]


def test_attack_token_theft_approval_needs_a_reviewer(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    url = f"{GIT}/proposals/{_proposal(full_app)}/decision"
    body = {"approve": True, "reason": "looks fine"}
    assert client.post(url, json=body, headers={"X-AgentOps-User": "ana"}).status_code == 401
    viewer = auth_headers(full_app, "vic", "viewer")
    assert client.post(url, json=body, headers=viewer).status_code == 403


def test_attack_token_never_sent_to_another_host(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("AGENTOPS_GITHUB_API_URL", raising=False)
    assert "GIT_CONFIG_VALUE_0" not in _env(TOKEN, "https://evil.example/acme/shop.git")
    sent = _env(TOKEN, "https://github.com/acme/shop.git")["GIT_CONFIG_VALUE_0"]
    assert base64.b64decode(sent.split()[-1]).decode().endswith(TOKEN)
    # A link stored before the host check (or written to the database directly) is not pushed.
    sessions = auth_store(f"sqlite:///{tmp_path / 'app.db'}")
    save_link(sessions, RepoLink(repo="acme/shop", remote_url="https://evil.example/a.git"))
    change = ProposedChange(
        spec_id="s/spec.md", repo="acme/shop", base="main", branch="agentops/s/t-1",
        title="T-1", source="plan_checklist", task_ids=["T-1"],
        files=[ProposedFile(path="docs/t.md", content="x\n")],
    )  # fmt: skip
    proposal, _ = upsert_proposal(sessions, change)
    decide(sessions, proposal.id, approve=True, actor="ana", reason="ok")
    host = GitHubHost(TOKEN, base_url="http://127.0.0.1:9")  # nothing listens there
    done = publish(sessions, proposal.id, host, PublishConfig(workdir=tmp_path, token=TOKEN), "ana")
    assert done.status == "failed" and "evil.example" in (done.error or "")
    assert TOKEN not in (done.error or "")
    # ...and a failed proposal is not approved again: it takes a new proposal.
    with pytest.raises(ApprovalError, match="decided once"):
        decide(sessions, proposal.id, approve=True, actor="ana", reason="retry")
    assert get_proposal(sessions, proposal.id).status == "failed"


def test_attack_reading_proposals_links_and_forks(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    pid = _proposal(full_app)
    for path in (f"{GIT}/proposals", f"{GIT}/proposals/{pid}", f"{GIT}/links", f"{GIT}/tasks"):
        assert client.get(path).status_code == 401, path
    outsider = auth_headers(full_app, "eve", "owner", workspace="other")
    asks_default = outsider | {"X-AgentOps-Workspace": "default"}
    assert client.get("/api/marketplace/forks", headers=asks_default).status_code == 404
    assert client.get(f"{GIT}/proposals", headers=asks_default).status_code == 404


def test_attack_moderator_name_and_self_approval(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    queue = "/api/marketplace/moderation/queue"
    assert client.get(queue, headers={"X-AgentOps-User": "moderator"}).status_code == 401
    uploader = auth_headers(full_app, "ulla", "maintainer")
    assert client.get(queue, headers=uploader).status_code == 403
    md = "---\ntitle: Own spec\nkind: spec_template\nlicense: MIT\nversion: 1.0.0\n"
    md += "description: A spec template written by its own moderator.\ntags: [x]\n---\n"
    md += "# Own\n\n## FR-001 Pay\nThe user pays by card.\n"
    moderator = auth_headers(full_app, "mona", "moderator")
    # Mona may moderate, but not her own upload (the role alone does not let her upload either).
    assert (
        client.post(
            "/api/marketplace/templates", files={"file": ("t.md", md)}, headers=moderator
        ).status_code
        == 403
    )
    owner = auth_headers(full_app, "mona-owner", "owner")
    up = client.post("/api/marketplace/templates", files={"file": ("t.md", md)}, headers=owner)
    assert up.status_code == 201, up.text
    own = client.post(
        "/api/marketplace/moderation/own-spec/1.0.0/approve", json={"reason": "mine"},
        headers=owner,
    )  # fmt: skip
    assert own.status_code == 403 and "own uploads" in own.text


def test_attack_seed_template_author_cannot_be_claimed(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    with pytest.raises(ValueError, match="reserved"):
        auth_headers(full_app, "agentops", "maintainer")
    mallory = auth_headers(full_app, "mallory", "maintainer") | {"X-AgentOps-User": "agentops"}
    md = "---\ntitle: REST API spec\nkind: spec_template\nlicense: MIT\nversion: 9.0.0\n"
    md += "slug: rest-api-spec\ndescription: A hostile new version of a seed template.\n"
    md += "tags: [x]\n---\n# REST\n\n## FR-001 Get\nThe API returns items.\n"
    up = client.post("/api/marketplace/templates", files={"file": ("t.md", md)}, headers=mallory)
    assert up.status_code == 403 and "another author" in up.text


def test_attack_accepting_a_suggestion_needs_a_reviewer(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    url = "/api/assistant/suggestions/1/accept"
    assert client.post(url, headers={"X-AgentOps-User": "ada"}).status_code == 401
    viewer = auth_headers(full_app, "vic", "viewer")
    assert client.post(url, headers=viewer).status_code == 403


def test_attack_paid_download_with_the_paying_workspace_name(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    url = "/api/marketplace/templates/nfr-pack/download"
    cheap = auth_headers(full_app, "carl", "viewer", workspace="cheap")
    assert client.get(url, headers=cheap | {"X-AgentOps-Workspace": "paying"}).status_code == 404
    refused = client.get(url, headers=cheap)
    assert refused.status_code == 403 and "buy it" in refused.json()["detail"]["message"]


def test_attack_billing_of_another_workspace(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    body = {"workspace": "paying", "plan": "team"}
    assert client.post("/api/billing/checkout", json=body).status_code == 401
    admin = auth_headers(full_app, "olga", "owner", workspace="cheap")
    other = client.post("/api/billing/checkout", json=body, headers=admin)
    assert other.status_code == 404 and "paying" in other.json()["detail"]
    viewer = auth_headers(full_app, "vic", "viewer", workspace="paying")
    assert client.post("/api/billing/checkout", json=body, headers=viewer).status_code == 403


def test_attack_made_up_user_names_take_no_seats(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    for name in ("u1", "u2", "u3"):
        spoof = {"X-AgentOps-User": name, "X-AgentOps-Workspace": "default"}
        assert client.get("/api/marketplace/templates", headers=spoof).status_code == 401
    # One token is one user, whatever user header rides along.
    mine = auth_headers(full_app, "real", "viewer")
    me = client.get("/api/auth/me", headers=mine | {"X-AgentOps-User": "u4"}).json()
    assert me["subject"] == "real"


def test_attack_revoked_and_expired_tokens(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    headers = auth_headers(full_app, "rita", "viewer")
    tokens = client.get("/api/auth/tokens", headers=headers).json()
    assert client.delete(f"/api/auth/tokens/{tokens[0]['id']}", headers=headers).status_code == 200
    assert client.get("/api/auth/me", headers=headers).status_code == 401
    from sqlalchemy import update

    from agentops_pipelines.auth.tables import TokenRow

    fresh = auth_headers(full_app, "rita", "viewer")
    with auth_store(full_app.state.settings.app_db_url).begin() as session:
        session.execute(update(TokenRow).values(expires_at=TokenRow.created_at))
    assert client.get("/api/auth/me", headers=fresh).status_code == 401
