from __future__ import annotations

import json
import logging
import uuid
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from agentops_pipelines.gitops.inbox.events import HANDLED_EVENTS
from agentops_pipelines.gitops.inbox.signature import sign
from agentops_pipelines.gitops.inbox.tables import WebhookInboxRow

SECRET = "test-webhook-secret-5f1c"  # the same secret the conftest receiver is built with


def _headers(event: str, delivery: str, body: bytes, secret: str = SECRET) -> dict[str, str]:
    return {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": sign(secret, body),
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/test",
    }


def _rows(receiver, delivery: str) -> list[WebhookInboxRow]:
    with receiver.sessions() as session:
        query = select(WebhookInboxRow).where(WebhookInboxRow.delivery_id == delivery)
        return list(session.scalars(query))


def test_examples_cover_the_dataset(examples) -> None:
    # 113 files in the folder: 112 payloads plus the README.
    assert len(examples) == 112
    assert {e.event for e in examples} >= HANDLED_EVENTS


def test_signed_example_is_stored_once(receiver, example) -> None:
    delivery = str(uuid.uuid4())
    headers = _headers(example.event, delivery, example.body)
    response = receiver.client.post("/webhooks/github", content=example.body, headers=headers)
    assert response.status_code == 202, response.text
    expected = {"ping": "processed"}.get(example.event, "pending")
    if example.event not in HANDLED_EVENTS:
        expected = "ignored"
    [row] = _rows(receiver, delivery)
    assert (row.event, row.status) == (example.event, expected)
    assert row.action == example.payload.get("action")
    assert json.loads(row.payload) == example.payload
    assert (row.processed_at is not None) == (expected == "processed")

    again = receiver.client.post("/webhooks/github", content=example.body, headers=headers)
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert len(_rows(receiver, delivery)) == 1


def test_badly_signed_example_is_rejected(receiver, example) -> None:
    delivery = str(uuid.uuid4())
    wrong = _headers(example.event, delivery, example.body, secret="not-the-secret")
    missing = {k: v for k, v in wrong.items() if k != "X-Hub-Signature-256"}
    tampered = _headers(example.event, delivery, example.body)
    for headers, body in (
        (wrong, example.body),
        (missing, example.body),
        (tampered, example.body + b"\n"),
    ):
        response = receiver.client.post("/webhooks/github", content=body, headers=headers)
        assert response.status_code == 401
    assert _rows(receiver, delivery) == []


def test_malformed_json_is_400_and_not_stored(fresh_receiver) -> None:
    for body in (b'{"ref": "refs/heads/main"', b"[1, 2]", b"\xff\xfe"):
        response = fresh_receiver.client.post(
            "/webhooks/github", content=body, headers=_headers("push", "d-bad", body)
        )
        assert response.status_code == 400
    assert _rows(fresh_receiver, "d-bad") == []


def test_missing_delivery_headers_are_400(fresh_receiver) -> None:
    body = b'{"zen": "x", "hook_id": 1}'
    headers = _headers("ping", "d-1", body)
    del headers["X-GitHub-Delivery"]
    assert (
        fresh_receiver.client.post("/webhooks/github", content=body, headers=headers).status_code
        == 400
    )


def test_unknown_event_is_accepted_as_ignored(fresh_receiver) -> None:
    body = b'{"action": "created", "starred_at": null}'
    response = fresh_receiver.client.post(
        "/webhooks/github", content=body, headers=_headers("star", "d-star", body)
    )
    assert response.status_code == 202
    assert response.json()["inbox_status"] == "ignored"
    [row] = _rows(fresh_receiver, "d-star")
    assert row.status == "ignored"


def test_body_over_limit_is_413_declared_or_streamed(tmp_path, make_receiver) -> None:
    small = make_receiver(f"sqlite:///{tmp_path / 'app.db'}", max_body_bytes=1024)
    body = json.dumps({"zen": "z" * 4096, "hook_id": 1}).encode()
    headers = _headers("ping", "d-big", body)
    assert small.client.post("/webhooks/github", content=body, headers=headers).status_code == 413

    def chunks():
        for start in range(0, len(body), 512):
            yield body[start : start + 512]

    streamed = {k: v for k, v in headers.items()}
    response = small.client.post("/webhooks/github", content=chunks(), headers=streamed)
    assert response.status_code == 413
    assert _rows(small, "d-big") == []
    ok = b'{"zen": "z", "hook_id": 1}'
    assert (
        small.client.post(
            "/webhooks/github", content=ok, headers=_headers("ping", "d-ok", ok)
        ).status_code
        == 202
    )


def test_default_limit_is_githubs_25_mib(fresh_receiver) -> None:
    body = b"{}"
    headers = _headers("ping", "d-huge", body) | {"Content-Length": str(25 * 1024 * 1024 + 1)}
    # The declared length alone triggers the 413: the server never waits for 25 MiB of body.
    response = fresh_receiver.client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 413


def test_secret_never_logged(tmp_path, make_receiver, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    receiver = make_receiver(f"sqlite:///{tmp_path / 'app.db'}")
    body = b'{"zen": "z", "hook_id": 1}'
    receiver.client.post("/webhooks/github", content=body, headers=_headers("ping", "a", body))
    receiver.client.post("/webhooks/github", content=body, headers=_headers("ping", "b", body, "x"))
    assert caplog.records, "expected at least the rejection warning"
    assert all(SECRET not in record.getMessage() for record in caplog.records)
    assert SECRET not in caplog.text


def test_inbox_counts_after_mixed_traffic(fresh_receiver, examples) -> None:
    for n, example in enumerate(examples[:10]):
        headers = _headers(example.event, f"mix-{n % 5}", example.body)
        fresh_receiver.client.post("/webhooks/github", content=example.body, headers=headers)
    with fresh_receiver.sessions() as session:
        assert session.scalar(select(func.count()).select_from(WebhookInboxRow)) == 5


def test_form_encoded_delivery_is_verified_on_raw_body(fresh_receiver) -> None:
    payload = {"zen": "Keep it logically awesome.", "hook_id": 7}
    body = urlencode({"payload": json.dumps(payload)}).encode()
    headers = _headers("ping", "d-form", body) | {
        "Content-Type": "application/x-www-form-urlencoded"
    }
    response = fresh_receiver.client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 202
    [row] = _rows(fresh_receiver, "d-form")
    assert json.loads(row.payload) == payload
    bad = b"nopayload=1"
    headers = _headers("ping", "d-form2", bad) | {
        "Content-Type": "application/x-www-form-urlencoded"
    }
    assert (
        fresh_receiver.client.post("/webhooks/github", content=bad, headers=headers).status_code
        == 400
    )


@pytest.mark.parametrize(
    ("content_type", "body", "problem"),
    [
        ("application/x-www-form-urlencoded", b"no-equals-sign-here", "no payload=<json> field"),
        ("application/json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
    ids=["form-without-equals", "deeply-nested-json"],
)
def test_signed_but_malformed_bodies_are_400_naming_the_problem(
    fresh_receiver, content_type, body, problem
) -> None:
    headers = _headers("ping", "d-bad", body) | {"Content-Type": content_type}
    response = fresh_receiver.client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert problem in response.json()["detail"]
    assert _rows(fresh_receiver, "d-bad") == []
