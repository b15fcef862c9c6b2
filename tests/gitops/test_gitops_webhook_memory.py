"""Webhook bodies are verified while streaming: unsigned ones are refused before being read,
large ones are spooled and gated, and nothing unverified is stored."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from test_gitops_webhooks import SECRET, _headers, _rows

from agentops_pipelines.gitops.inbox import body_reader
from agentops_pipelines.gitops.inbox.body_reader import LargeBodyGate, Refusal, read_verified
from agentops_pipelines.gitops.inbox.signature import sign

CHUNK = b" " * (256 * 1024)


class CountingBody:
    """A chunked request body that records how much of it the server pulled."""

    def __init__(self, chunks: int) -> None:
        self.chunks, self.pulled = chunks, 0

    def __iter__(self):
        yield b"{"
        for _ in range(self.chunks):
            self.pulled += 1
            yield CHUNK
        yield b"}"


@pytest.mark.parametrize("signature", [None, "sha256=nothex", "sha1=" + "0" * 40])
def test_unsigned_big_bodies_are_refused_before_reading(fresh_receiver, signature) -> None:
    body = CountingBody(40)  # 10 MiB, chunked (no Content-Length)
    headers = {"X-GitHub-Event": "ping", "X-GitHub-Delivery": str(uuid.uuid4())}
    if signature:
        headers["X-Hub-Signature-256"] = signature
    response = fresh_receiver.client.post("/webhooks/github", content=iter(body), headers=headers)
    assert response.status_code == 401
    assert body.pulled < 2  # not buffered: at most what the transport had already sent


def test_wrongly_signed_big_body_is_401_and_not_stored(fresh_receiver) -> None:
    payload = b"{" + CHUNK * 8 + b"}"  # 2 MiB: past the in-memory spool
    headers = _headers("ping", "d-big", payload, secret="not-the-secret")
    response = fresh_receiver.client.post("/webhooks/github", content=payload, headers=headers)
    assert response.status_code == 401 and _rows(fresh_receiver, "d-big") == []


def test_correctly_signed_big_body_is_stored(fresh_receiver) -> None:
    payload = b'{"zen": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    headers = _headers("ping", "d-ok", payload)
    response = fresh_receiver.client.post("/webhooks/github", content=payload, headers=headers)
    assert response.status_code == 202, response.text
    assert len(_rows(fresh_receiver, "d-ok")[0].payload) == len(payload)


def test_large_bodies_beyond_the_gate_get_503(monkeypatch) -> None:
    monkeypatch.setattr(body_reader, "GATE_WAIT_S", 0.05)
    payload = b"x" * (2 * body_reader.SPOOL_BYTES)

    async def chunks():
        for i in range(0, len(payload), 65536):
            yield payload[i : i + 65536]

    async def scenario() -> Refusal | bytes:
        gate = LargeBodyGate(size=1)
        await gate.semaphore().acquire()  # another large body is being read
        return await read_verified(
            chunks(),
            secret=SECRET,
            signature=sign(SECRET, payload),
            declared=str(len(payload)),
            max_bytes=25 * 1024 * 1024,
            gate=gate,
        )

    refused = asyncio.run(scenario())
    assert isinstance(refused, Refusal) and refused.status_code == 503
