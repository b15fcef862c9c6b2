from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from agentops_pipelines.api.receiver.standalone import SECRET_ENV, app_from_env, create_receiver_app
from agentops_pipelines.gitops.inbox.signature import sign


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


def test_receiver_starts_without_orm_or_alembic() -> None:
    """Start-up time is the outage window after a crash: the write path stays on Core."""
    import subprocess
    import sys

    code = (
        "import sys, agentops_pipelines.api.receiver.standalone;"
        "print(sorted(m for m in ('alembic', 'sqlalchemy.orm') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_writer_columns_match_the_inbox_table() -> None:
    from agentops_pipelines.gitops.inbox.tables import WebhookInboxRow
    from agentops_pipelines.gitops.inbox.writer import COLUMNS

    assert set(COLUMNS) == {c.name for c in WebhookInboxRow.__table__.columns} - {"id"}


def test_fast_path_answers_exactly_like_the_route(tmp_path, examples) -> None:
    """Same status and body for valid, redelivered, unsigned, malformed and oversized bodies."""
    from agentops_pipelines.api.receiver.standalone import fast_receiver_app

    clients = [
        TestClient(create_receiver_app(f"sqlite:///{tmp_path / 'a.db'}", "s3cret", 4000)),
        TestClient(fast_receiver_app(f"sqlite:///{tmp_path / 'b.db'}", "s3cret", 4000)),
    ]
    small = [e for e in examples if len(e.body) < 4000][:5]
    big = next(e for e in examples if len(e.body) > 4000)
    cases = []
    for n, e in enumerate([*small, small[0], big]):
        sig = sign("s3cret", e.body)
        cases.append((e.body, {"X-GitHub-Event": e.event, "X-GitHub-Delivery": f"d{n % 6}"}, sig))
    cases.append((small[0].body, {"X-GitHub-Event": "push", "X-GitHub-Delivery": "x"}, "sha256=0"))
    cases.append((b"{nope", {"X-GitHub-Event": "push", "X-GitHub-Delivery": "y"}, None))
    cases[-1] = (b"{nope", cases[-1][1], sign("s3cret", b"{nope"))
    for body, headers, sig in cases:
        answers = [
            c.post("/webhooks/github", content=body, headers=headers | {"X-Hub-Signature-256": sig})
            for c in clients
        ]
        assert answers[0].status_code == answers[1].status_code
        assert answers[0].json() == answers[1].json()
    statuses = [
        a.status_code
        for a in [
            clients[1].post("/webhooks/github", content=b, headers=h | {"X-Hub-Signature-256": s})
            for b, h, s in cases
        ]
    ]
    assert {200, 401, 400, 413} <= set(statuses)
    assert clients[1].get("/openapi.json").json()["paths"]["/webhooks/github"]["post"]
