"""Read a webhook body while verifying its HMAC, with bounded memory, rejecting early.

Before: a delivery was buffered in memory up to the 25 MiB limit and only then was its signature
checked, so 32 unsigned bodies took the receiver from 67 to 838 MiB. Now:

- no well-formed `X-Hub-Signature-256` header: refused before a byte of the body is read;
- the HMAC is updated chunk by chunk as the body streams in;
- past SPOOL_BYTES a body goes to a temporary file, not memory, and only GATE_SIZE such large
  bodies are read at once (the others wait briefly, then get 503 and GitHub redelivers);
- the body is handed on only when the signature matched; otherwise it is dropped unread.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import tempfile
from collections.abc import AsyncIterator

from agentops_pipelines.body_limit import BodyTooLarge, Refusal, declared_over, limited
from agentops_pipelines.gitops.inbox.signature import PREFIX

__all__ = ["GATE_SIZE", "SPOOL_BYTES", "LargeBodyGate", "Refusal", "precheck", "read_verified"]

SPOOL_BYTES = 1024 * 1024
GATE_SIZE = 4
GATE_WAIT_S = 10.0
_WELL_FORMED = re.compile(r"sha256=[0-9a-fA-F]{64}")


class LargeBodyGate:
    """At most `size` bodies above SPOOL_BYTES are being read at once, per receiver."""

    def __init__(self, size: int = GATE_SIZE) -> None:
        self.size = size
        self._semaphore: asyncio.Semaphore | None = None

    def semaphore(self) -> asyncio.Semaphore:
        if self._semaphore is None:  # created inside the running loop
            self._semaphore = asyncio.Semaphore(self.size)
        return self._semaphore


def precheck(signature: str | None, declared: str | None, max_bytes: int) -> Refusal | None:
    """What can be refused from the headers alone, before reading the body."""
    if not signature or not _WELL_FORMED.fullmatch(signature.strip()):
        return Refusal(401, "missing or invalid X-Hub-Signature-256")
    if declared_over(declared, max_bytes):
        return _too_large(max_bytes)
    return None


async def read_verified(
    chunks: AsyncIterator[bytes],
    *,
    secret: str,
    signature: str,
    declared: str | None,
    max_bytes: int,
    gate: LargeBodyGate,
) -> bytes | Refusal:
    """The body if its HMAC matches `signature`, else a Refusal (401, 413 or 503)."""
    mac = hmac.new(secret.encode("utf-8"), digestmod=hashlib.sha256)
    size = 0
    held = False
    semaphore = gate.semaphore()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        try:
            if declared_over(declared, SPOOL_BYTES):
                held = await _enter(semaphore)
                if not held:
                    return _busy()
            async for chunk in limited(chunks, max_bytes):
                size += len(chunk)
                if size > SPOOL_BYTES and not held:
                    held = await _enter(semaphore)
                    if not held:
                        return _busy()
                mac.update(chunk)
                spool.write(chunk)
            expected = (PREFIX + mac.hexdigest()).encode("ascii")
            if not hmac.compare_digest(expected, signature.strip().encode("ascii")):
                return Refusal(401, "missing or invalid X-Hub-Signature-256")
            spool.seek(0)
            return spool.read()
        except BodyTooLarge:
            return _too_large(max_bytes)
        finally:
            if held:
                semaphore.release()


async def _enter(semaphore: asyncio.Semaphore) -> bool:
    try:
        await asyncio.wait_for(semaphore.acquire(), GATE_WAIT_S)
    except TimeoutError:
        return False
    return True


def _too_large(max_bytes: int) -> Refusal:
    return Refusal(413, f"body exceeds the limit of {max_bytes} bytes")


def _busy() -> Refusal:
    return Refusal(503, "too many large deliveries at once; GitHub will redeliver")
