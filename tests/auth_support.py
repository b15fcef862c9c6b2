"""Credentials for API tests: a member with a role and a personal token, as headers.

Tests call the API the way a client does: `Authorization: Bearer <token>`. Identity headers are
ignored by the API, so a test that needs two people asks for two tokens.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from agentops_pipelines.api.auth_layer import auth_store
from agentops_pipelines.auth import members, tokens
from agentops_pipelines.auth.roles import Role


def _db_url(target: FastAPI | str) -> str:
    return target if isinstance(target, str) else target.state.settings.app_db_url


def issue_token(
    target: FastAPI | str,
    user: str = "tester",
    role: str | None = "owner",
    workspace: str = "default",
    scopes: Iterable[str] = ("*",),
    days: int = 1,
) -> str:
    """Make `user` a member with `role` (None: not a member) and return a personal token."""
    db = auth_store(_db_url(target))
    if role is not None:
        members.set_member(db, workspace, user, Role(role), "tests")
    issued = tokens.issue(
        db,
        kind="personal",
        name=f"test token of {user}",
        workspace=workspace,
        subject=user,
        scopes=list(scopes),
        days=days,
        created_by="tests",
    )
    return issued.token


def auth_headers(
    target: FastAPI | str, user: str = "tester", role: str | None = "owner", **kw
) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(target, user, role, **kw)}"}


def api_client(app: FastAPI, user: str = "tester", role: str | None = "owner", **kw) -> TestClient:
    """A TestClient that sends `user`'s token (with `role`) on every request."""
    return TestClient(app, headers=auth_headers(app, user, role, **kw))
