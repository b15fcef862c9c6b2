"""The one request-body limiter (agentops_pipelines/body_limit.py) every HTTP entry uses."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from agentops_pipelines.body_limit import asgi_chunks, read_limited


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def _read(*parts: bytes, limit: int, declared: str | None = None) -> bytes | None:
    return asyncio.run(read_limited(_chunks(*parts), limit, declared))


def test_a_body_within_the_limit_is_returned_whole() -> None:
    assert _read(b"ab", b"cd", limit=4) == b"abcd"


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    read: list[bytes] = []

    async def watched() -> AsyncIterator[bytes]:
        read.append(b"x")
        yield b"x"

    assert asyncio.run(read_limited(watched(), 4, "5")) is None
    assert read == []


def test_a_body_that_lies_about_its_length_is_dropped_once_past_the_limit() -> None:
    taken: list[int] = []

    async def endless() -> AsyncIterator[bytes]:
        for i in range(1000):
            taken.append(i)
            yield b"xx"

    assert asyncio.run(read_limited(endless(), 5, "1")) is None
    assert len(taken) == 3  # stopped at the chunk that crossed 5 bytes, not at the end


def test_asgi_chunks_stop_at_a_disconnect_and_say_so() -> None:
    messages = iter(
        [
            {"type": "http.request", "body": b"a", "more_body": True},
            {"type": "http.disconnect"},
        ]
    )

    async def receive() -> dict:
        return next(messages)

    async def collect() -> tuple[list[bytes], list[bool]]:
        gone: list[bool] = []
        return [c async for c in asgi_chunks(receive, gone)], gone

    assert asyncio.run(collect()) == ([b"a"], [True])
