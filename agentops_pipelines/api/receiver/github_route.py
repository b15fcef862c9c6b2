"""POST /webhooks/github: the signed, size-limited, idempotent entry of GitHub deliveries."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from agentops_pipelines.api.receiver.delivery_check import GITHUB_MAX_PAYLOAD_BYTES, handle_delivery
from agentops_pipelines.gitops.inbox.body_reader import (
    LargeBodyGate,
    Refusal,
    precheck,
    read_verified,
)
from agentops_pipelines.gitops.inbox.writer import InboxWriter


def webhook_router(
    secret: str, writer: InboxWriter, max_body_bytes: int = GITHUB_MAX_PAYLOAD_BYTES
) -> APIRouter:
    """A router with the GitHub receiver bound to one webhook secret and one inbox."""
    if not secret:
        raise ValueError("webhook secret is empty: set the secret configured on the GitHub hook")
    router = APIRouter(tags=["webhooks"])
    gate = LargeBodyGate()

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
            503: {"description": "Too many large deliveries at once; GitHub redelivers"},
        },
    )
    async def receive_github(request: Request) -> JSONResponse:
        headers = request.headers
        signature = headers.get("x-hub-signature-256")
        refused = precheck(signature, headers.get("content-length"), max_body_bytes)
        if refused is None:
            read = await read_verified(
                request.stream(),
                secret=secret,
                signature=signature or "",
                declared=headers.get("content-length"),
                max_bytes=max_body_bytes,
                gate=gate,
            )
            refused = read if isinstance(read, Refusal) else None
        if refused is not None:
            return JSONResponse({"detail": refused.detail}, status_code=refused.status_code)
        assert isinstance(read, bytes)
        body = read
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
            signature_checked=True,
        )
        content = verdict.model_dump(exclude={"status_code"}, exclude_none=True)
        return JSONResponse(content, status_code=verdict.status_code)

    return router
