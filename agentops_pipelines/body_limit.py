"""The one request-body limiter of every HTTP entry (API middleware, GitHub and Stripe webhooks,
the standalone receiver's fast path).

A declared Content-Length over the limit is refused before a byte is read; otherwise the body is
counted as it streams and dropped the moment it grows past the limit, so a client that lies in
(or omits) Content-Length never makes the server hold more than the limit. Plain ASGI helpers
only (no FastAPI), so the receiver's bare-ASGI path and the FastAPI routes share them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Refusal:
    """An HTTP answer that ends a request before the app handles it."""

    status_code: int
    detail: str


class BodyTooLarge(Exception):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"body exceeds the limit of {max_bytes} bytes")
        self.max_bytes = max_bytes


def declared_over(declared: str | None, max_bytes: int) -> bool:
    """True when the Content-Length header alone already exceeds the limit."""
    return declared is not None and declared.isdigit() and int(declared) > max_bytes


async def limited(chunks: AsyncIterator[bytes], max_bytes: int) -> AsyncIterator[bytes]:
    """The chunks as they come; BodyTooLarge as soon as their total passes max_bytes."""
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge(max_bytes)
        yield chunk


async def read_limited(
    chunks: AsyncIterator[bytes], max_bytes: int, declared: str | None = None
) -> bytes | None:
    """The whole body, or None when it is (or says it is) larger than max_bytes."""
    if declared_over(declared, max_bytes):
        return None
    parts: list[bytes] = []
    try:
        async for chunk in limited(chunks, max_bytes):
            parts.append(chunk)
    except BodyTooLarge:
        return None
    return b"".join(parts)


async def asgi_chunks(
    receive: Receive, disconnected: list[bool] | None = None
) -> AsyncIterator[bytes]:
    """An ASGI request body as chunks; a client that goes away ends it (noted in `disconnected`)."""
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            if disconnected is not None:
                disconnected.append(True)
            return
        yield message.get("body", b"")
        more = message.get("more_body", False)


async def send_json(send: Send, status: int, content: dict[str, Any]) -> None:
    """A complete JSON response on a bare ASGI `send` (compact, as FastAPI renders JSON)."""
    body = json.dumps(content, separators=(",", ":")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
