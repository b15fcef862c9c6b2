"""Walk every operation of the OpenAPI schema (and every page): anonymous -> 401, spoofed
identity headers -> 401, a member lacking the role -> 403, another workspace -> 404.

Only the public entries of auth.policy.ROUTES may answer without a credential.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from agentops_pipelines.auth.policy import PAGES, ROUTES, Rule
from agentops_pipelines.auth.principal import Principal
from agentops_pipelines.auth.roles import Role
from streamlit_app.access import page_status
from streamlit_app.app import NAVIGATION
from tests.auth_support import auth_headers

SAMPLE = {
    "spec_id": "billing/spec.md",
    "proposal_id": "1",
    "slug": "rest-api-spec",
    "version": "1.0.0",
    "review_id": "1",
    "token_id": "1",
    "subject": "someone@example.com",
    "suggestion_id": "1",
}
SPOOF = {"X-AgentOps-User": "moderator", "X-AgentOps-Workspace": "default"}
NOT_SCHEMA = [("GET", "/metrics")]  # served, but kept out of the schema


def _operations(app: FastAPI) -> list[tuple[str, str]]:
    paths = TestClient(app).get("/openapi.json").json()["paths"]
    found = [(m.upper(), p) for p, ops in paths.items() for m in ops]
    return found + NOT_SCHEMA


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> int:
    url = re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], path)
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return client.request(method, url, json=body, headers=headers).status_code


def _lacking(rule: Rule) -> str | None:
    """A role that does not include the rule's role (None: every member has it)."""
    assert rule.role is not None
    return None if rule.role is Role.VIEWER else Role.VIEWER.value


def test_auth_walk_every_operation_is_declared(full_app: FastAPI) -> None:
    undeclared = [op for op in _operations(full_app) if op not in ROUTES]
    assert undeclared == []
    public = sorted(p for (m, p), rule in ROUTES.items() if rule.public)
    assert public == [
        "/docs", "/docs/oauth2-redirect", "/health", "/openapi.json", "/redoc",
        "/webhooks/github", "/webhooks/gitlab", "/webhooks/stripe",
    ]  # fmt: skip


def test_auth_walk_anonymous_spoofed_lacking_role_and_foreign(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    outsider = auth_headers(full_app, "eve", "owner", workspace="other")
    stranger = auth_headers(full_app, "sam", None)  # signed in, member of nothing
    viewer = auth_headers(full_app, "vic", "viewer")
    wrong: list[tuple[str, str, str, int]] = []
    for method, path in _operations(full_app):
        rule = ROUTES[(method, path)]
        if rule.public:
            continue
        expect = [("anonymous", {}, 401), ("spoofed headers", SPOOF, 401)]
        expect.append(("other workspace", outsider | {"X-AgentOps-Workspace": "default"}, 404))
        lacking = _lacking(rule)
        expect.append(("lacking role", viewer if lacking else stranger, 403))
        for who, headers, status in expect:
            got = _call(client, method, path, headers)
            if got != status:
                wrong.append((method, path, who, got))
    assert wrong == []


def test_auth_walk_public_routes_answer_without_credentials(full_app: FastAPI) -> None:
    client = TestClient(full_app)
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200
    # Webhooks: no credential needed, but an unsigned delivery is refused by the signature check.
    assert client.post("/webhooks/github", content=b"{}").status_code in (400, 401)
    assert client.post("/webhooks/stripe", content=b"{}").status_code == 400
    assert client.post("/webhooks/gitlab", content=b"{}").status_code == 401


def test_auth_walk_every_page_is_declared_and_gated() -> None:
    files = [f for entries in NAVIGATION.values() for f, _, _ in entries]
    assert sorted(files) == sorted(PAGES)
    viewer = Principal(subject="vic", workspace="default", role=Role.VIEWER, via="test")
    outsider = Principal(subject="eve", workspace="other", role=Role.OWNER, via="test")
    stranger = Principal(subject="sam", workspace="default", role=None, via="test")
    for page, needed in PAGES.items():
        assert page_status(None, page, "default") == 401
        assert page_status(outsider, page, "default") == 404
        lacking = stranger if needed is Role.VIEWER else viewer
        assert page_status(lacking, page, "default") == 403, page
        holder = Principal(subject="h", workspace="default", role=needed, via="test")
        assert page_status(holder, page, "default") == 200


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_auth_walk_role_holders_pass_their_routes(full_app: FastAPI, role: str) -> None:
    """The other side of the walk: a holder of the role is not refused by the auth layer."""
    client = TestClient(full_app)
    headers = auth_headers(full_app, f"{role}-user", role)
    held = Role(role)
    from agentops_pipelines.auth.roles import satisfies

    refused = []
    for method, path in _operations(full_app):
        rule = ROUTES[(method, path)]
        if rule.public or rule.role is None or not satisfies(held, rule.role):
            continue
        if method != "GET":  # reads only: writes would change the store under the walk
            continue
        status = _call(client, method, path, headers)
        if status in (401, 403) and path != "/api/marketplace/templates/{slug}/download":
            refused.append((method, path, status))
    assert refused == []
