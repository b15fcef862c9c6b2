"""POST /webhooks/gitlab on the real API app: X-Gitlab-Token checked (constant time) before the
body is read, a wrong or missing token stores nothing, redeliveries are stored once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from agentops_pipelines.store.db import shared_engine

SECRET = "gl-hook-secret-for-tests"
MR_EVENT = {
    "object_kind": "merge_request",
    "event_type": "merge_request",
    "project": {"path_with_namespace": "acme/shop"},
    "object_attributes": {"iid": 1, "action": "open", "state": "opened"},
}


@pytest.fixture
def client(agentops_home: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from agentops_pipelines.api.app import create_app
    from agentops_pipelines.settings import load_settings

    monkeypatch.setenv("AGENTOPS_GITLAB_WEBHOOK_SECRET", SECRET)
    return TestClient(create_app(load_settings()))


def _headers(token: str | None, key: str = "5f0c-uuid-1") -> dict[str, str]:
    headers = {"X-Gitlab-Event": "Merge Request Hook", "Idempotency-Key": key}
    return headers | ({"X-Gitlab-Token": token} if token is not None else {})


def _rows() -> list[tuple[str, str, str | None, str]]:
    from agentops_pipelines.settings import load_settings

    with shared_engine(load_settings().app_db_url).connect() as conn:
        query = text("SELECT delivery_id, event, action, status FROM webhook_inbox ORDER BY id")
        return [tuple(r) for r in conn.execute(query)]  # type: ignore[misc]


def test_gitlab_webhook_token_checked_and_redelivery_stored_once(client: TestClient) -> None:
    body = json.dumps(MR_EVENT)
    for token in (None, "", "gl-hook-secret-for-test", SECRET + "x"):
        got = client.post("/webhooks/gitlab", content=body, headers=_headers(token))
        assert got.status_code == 401, token
        assert got.json() == {"detail": "missing or wrong X-Gitlab-Token"}
    assert _rows() == []
    first = client.post("/webhooks/gitlab", content=body, headers=_headers(SECRET))
    assert first.status_code == 202 and first.json()["delivery_id"] == "gitlab:5f0c-uuid-1"
    again = client.post("/webhooks/gitlab", content=body, headers=_headers(SECRET))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert _rows() == [("gitlab:5f0c-uuid-1", "gitlab:Merge Request Hook", "open", "ignored")]


def test_gitlab_webhook_bad_bodies_are_refused_with_the_reason(client: TestClient) -> None:
    headers = _headers(SECRET, key="k2")
    assert client.post("/webhooks/gitlab", content=b"[1]", headers=headers).status_code == 400
    not_json = client.post("/webhooks/gitlab", content=b"{", headers=headers)
    assert not_json.status_code == 400 and "not JSON" in not_json.json()["detail"]
    no_key = {"X-Gitlab-Token": SECRET, "X-Gitlab-Event": "Push Hook"}
    assert client.post("/webhooks/gitlab", content=b"{}", headers=no_key).status_code == 400
    big = {"Content-Length": str(26 * 1024 * 1024)}
    assert client.post("/webhooks/gitlab", content=b"{}", headers=headers | big).status_code == 413
    assert _rows() == []
