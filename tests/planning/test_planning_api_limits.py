from __future__ import annotations

import asyncio

from agentops_pipelines.api.limits import BodySizeLimit


async def _echo_app(scope, receive, send) -> None:
    message = await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": message["body"]})


def _call(chunks: list[bytes], limit: int) -> tuple[int, bytes]:
    """Drive the middleware with a streamed body and no Content-Length, like chunked uploads."""
    pending = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[dict] = []

    async def receive() -> dict:
        return pending.pop(0)

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    asyncio.run(BodySizeLimit(_echo_app, max_bytes=limit)(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_streamed_body_under_the_limit_is_replayed_whole() -> None:
    assert _call([b"ab", b"cd", b"e"], limit=5) == (200, b"abcde")


def test_streamed_body_over_the_limit_is_413_without_reaching_the_app() -> None:
    status, body = _call([b"abc", b"def"], limit=5)
    assert status == 413
    assert b"larger than 5 bytes" in body
