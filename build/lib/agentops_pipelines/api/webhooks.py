"""POST /webhooks/github: the signed, size-limited, idempotent entry of GitHub deliveries."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from agentops_pipelines.gitops.inbox_writer import InboxWriter
from agentops_pipelines.gitops.receiver import GITHUB_MAX_PAYLOAD_BYTES, handle_delivery


class _BodyTooLarge(Exception):
    """Raised mid-stream so an oversized body is dropped without being held in memory."""


async def _read_limited(request: Request, max_bytes: int) -> bytes:
    """Trust a declared Content-Length for an early 413, and count bytes for chunked bodies."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise _BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def webhook_router(
    secret: str, writer: InboxWriter, max_body_bytes: int = GITHUB_MAX_PAYLOAD_BYTES
) -> APIRouter:
    """A router with the GitHub receiver bound to one webhook secret and one inbox."""
    if not secret:
        raise ValueError("webhook secret is empty: set the secret configured on the GitHub hook")
    router = APIRouter(tags=["webhooks"])

    @router.post(
        "/webhooks/github",
        status_code=202,
        summary="Receive a GitHub webhook delivery",
        responses={
            200: {"description": "Redelivery of a delivery id already stored"},
            202: {"description": "Stored in the inbox (pending, processed or ignored)"},
            400: {"description": "Missing delivery headers or a body that is not a JSON object"},
            401: {"description": "Missing or invalid X-Hub-Signature-256"},
            413: {"description": "Body larger than the configured limit"},
        },
    )
    async def receive_github(request: Request) -> JSONResponse:
        try:
            body = await _read_limited(request, max_body_bytes)
        except _BodyTooLarge:
            return JSONResponse(
                {"detail": f"body exceeds the limit of {max_body_bytes} bytes"}, status_code=413
            )
        headers = request.headers
        # Inline, not in a thread pool: the insert takes about a millisecond and SQLite writes are
        # serialised anyway, so a thread hop costs more CPU than it frees (measured with
        # benchmarks/webhook_burst.py: 2.7 -> 2.0 ms of server CPU per delivery).
        verdict = handle_delivery(
            writer=writer,
            secret=secret,
            body=body,
            signature=headers.get("x-hub-signature-256"),
            event=headers.get("x-github-event"),
            delivery_id=headers.get("x-github-delivery"),
            content_type=headers.get("content-type"),
        )
        content = verdict.model_dump(exclude={"status_code"}, exclude_none=True)
        return JSONResponse(content, status_code=verdict.status_code)

    return router
