"""The main API serves the webhook receiver when a secret is configured, outside the 1 MiB limit."""

from __future__ import annotations

import hashlib
import hmac
import json

from fastapi.testclient import TestClient
from sqlalchemy import text

from agentops_pipelines.api.app import create_app
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import make_engine


def _signed(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_large_signed_push_is_stored_and_plans_keep_their_limit(agentops_home, monkeypatch):
    monkeypatch.setenv("AGENTOPS_GITHUB_WEBHOOK_SECRET", "s3cret-for-tests")
    settings = load_settings()
    client = TestClient(create_app(settings))
    payload = {"ref": "refs/heads/main", "commits": [], "padding": "x" * (2 * 1024 * 1024)}
    body = json.dumps(payload).encode()
    response = client.post(
        "/webhooks/github",
        content=body,
        headers={
            "X-GitHub-Event": "ping",
            "X-GitHub-Delivery": "d-large-1",
            "X-Hub-Signature-256": _signed(body, "s3cret-for-tests"),
            "Content-Type": "application/json",
        },
    )
    assert response.status_code in (200, 202), response.text
    with make_engine(settings.app_db_url).connect() as conn:
        stored = conn.execute(text("select count(*) from webhook_inbox")).scalar_one()
    assert stored == 1

    too_big = client.post("/api/plan-builder", content=b"{" + b" " * (2 * 1024 * 1024) + b"}")
    assert too_big.status_code == 413


def test_without_a_secret_the_endpoint_is_not_served(agentops_home, monkeypatch):
    monkeypatch.delenv("AGENTOPS_GITHUB_WEBHOOK_SECRET", raising=False)
    client = TestClient(create_app(load_settings()))
    assert client.post("/webhooks/github", content=b"{}").status_code == 404
