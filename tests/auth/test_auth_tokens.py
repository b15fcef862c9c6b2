"""Tokens: hashed at rest, shown once, scoped, revocable; the audit log is append-only."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from agentops_pipelines.api.auth_layer import auth_store
from agentops_pipelines.auth import audit
from agentops_pipelines.store.db import make_engine, open_store
from tests.auth_support import api_client, auth_headers


def test_tokens_hashed_shown_once_scoped_and_revocable(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    owner = auth_headers(full_app, "olga", "owner")
    made = client.post(
        "/api/auth/tokens", json={"name": "ci", "scopes": ["git:read"], "days": 7}, headers=owner
    )
    assert made.status_code == 201
    token = made.json()["token"]
    assert token.startswith("aops_p_")
    with make_engine(full_app.state.settings.app_db_url).connect() as conn:
        dumped = " ".join(str(r) for r in conn.execute(text("select * from auth_token")))
    assert token not in dumped and token[12:] not in dumped  # only the hash and a prefix
    listed = client.get("/api/auth/tokens", headers=owner).json()
    assert all("token" not in t for t in listed)
    scoped = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/git/links", headers=scoped).status_code == 200
    refused = client.get("/api/marketplace/templates", headers=scoped)
    assert refused.status_code == 403 and "marketplace:read" in refused.json()["detail"]
    bad = client.post("/api/auth/tokens", json={"name": "x", "scopes": ["root"]}, headers=owner)
    assert bad.status_code == 422
    revoked = client.delete(f"/api/auth/tokens/{made.json()['id']}", headers=owner)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.get("/api/git/links", headers=scoped).status_code == 401


def test_service_tokens_need_an_admin_and_carry_their_role(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    body = {"name": "prometheus", "role": "viewer", "scopes": ["metrics:read"]}
    viewer = auth_headers(full_app, "vic", "viewer")
    assert client.post("/api/auth/service-tokens", json=body, headers=viewer).status_code == 403
    owner = auth_headers(full_app, "olga", "owner")
    made = client.post("/api/auth/service-tokens", json=body, headers=owner).json()
    scraper = {"Authorization": f"Bearer {made['token']}"}
    assert client.get("/metrics", headers=scraper).status_code == 200
    assert client.get("/metrics").status_code == 401
    assert client.get("/api/git/links", headers=scraper).status_code == 403


def test_a_demoted_member_loses_the_role_at_once(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    owner = auth_headers(full_app, "olga", "owner")
    rev = auth_headers(full_app, "rob", "reviewer")
    assert client.get("/api/auth/me", headers=rev).json()["role"] == "reviewer"
    put = client.put("/api/auth/members/rob", json={"role": "viewer"}, headers=owner)
    assert put.status_code == 200
    assert client.get("/api/auth/me", headers=rev).json()["role"] == "viewer"
    assert (
        client.put("/api/auth/members/rob", json={"role": "owner"}, headers=rev).status_code == 403
    )
    trail = client.get("/api/audit", params={"format": "csv"}, headers=owner)
    assert trail.headers["content-type"].startswith("text/csv")
    assert "role.change,member:rob" in trail.text
    events = client.get("/api/audit", params={"action": "role.change"}, headers=owner).json()
    assert events[-1]["detail"] == {"from": "reviewer", "to": "viewer"}
    assert events[-1]["via"].startswith("token:aops_p_")


def test_cli_creates_lists_and_revokes(agentops_home) -> None:
    from agentops_pipelines.cli.main import app

    runner = CliRunner()
    assert runner.invoke(app, ["auth", "member", "ana@example.com", "owner"]).exit_code == 0
    made = runner.invoke(
        app, ["auth", "token", "create", "--name", "laptop", "--user", "ana@example.com"]
    )
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert token.startswith("aops_p_")
    listed = runner.invoke(app, ["auth", "token", "list"], terminal_width=200)
    assert "personal" in listed.output and token[12:] not in listed.output.replace("\n", "")
    assert runner.invoke(app, ["auth", "token", "revoke", "1"]).exit_code == 0
    bad = runner.invoke(app, ["auth", "member", "bob", "emperor"])
    assert bad.exit_code != 0 and "owner, admin" in bad.output


def _append_only(url: str) -> None:
    sessions = open_store(url)
    audit.record(sessions, workspace="default", actor="a", action="x", subject="y")
    with pytest.raises(Exception, match="append-only"), sessions.begin() as session:
        session.execute(text("update audit_log set actor = 'b'"))
    with pytest.raises(Exception, match="append-only"), sessions.begin() as session:
        session.execute(text("delete from audit_log"))
    assert [e.actor for e in audit.events(sessions, "default")] == ["a"]


def test_audit_log_is_append_only_on_sqlite(tmp_path) -> None:
    _append_only(f"sqlite:///{tmp_path / 'app.db'}")


@pytest.mark.postgres
def test_audit_log_is_append_only_on_postgres(pg_url: str) -> None:
    _append_only(pg_url)


def test_auth_store_is_the_app_store(full_app: FastAPI) -> None:
    assert auth_store(full_app.state.settings.app_db_url) is auth_store(
        full_app.state.settings.app_db_url
    )


def test_a_blank_workspace_header_is_refused_not_taken_as_the_default(full_app: FastAPI) -> None:
    client = api_client(full_app, "wendy", "viewer")
    blank = client.get("/api/marketplace/forks", headers={"X-AgentOps-Workspace": " "})
    assert blank.status_code == 422
    assert "X-AgentOps-Workspace is empty" in blank.json()["detail"]
    assert client.get("/api/marketplace/forks").status_code == 200
