from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from agentops_pipelines.gitops.receiver_app import SECRET_ENV, app_from_env, create_receiver_app
from agentops_pipelines.gitops.signature import sign


def test_standalone_receiver_stores_and_documents_route(tmp_path, examples) -> None:
    db_url = f"sqlite:///{tmp_path / 'app.db'}"
    client = TestClient(create_receiver_app(db_url, "s3cret"))
    push = next(e for e in examples if e.event == "push")
    headers = {
        "X-GitHub-Event": "push",
        "X-GitHub-Delivery": "d-1",
        "X-Hub-Signature-256": sign("s3cret", push.body),
    }
    assert client.post("/webhooks/github", content=push.body, headers=headers).status_code == 202
    with create_engine(db_url).connect() as conn:
        rows = conn.execute(text("SELECT delivery_id, event, status FROM webhook_inbox")).all()
    assert rows == [("d-1", "push", "pending")]
    operation = client.get("/openapi.json").json()["paths"]["/webhooks/github"]["post"]
    assert {"200", "202", "400", "401", "413"} <= set(operation["responses"])


def test_receiver_refuses_to_start_without_secret(agentops_home, monkeypatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    with pytest.raises(RuntimeError, match=SECRET_ENV):
        app_from_env()
    with pytest.raises(ValueError, match="secret is empty"):
        create_receiver_app(f"sqlite:///{agentops_home / 'app.db'}", "")
