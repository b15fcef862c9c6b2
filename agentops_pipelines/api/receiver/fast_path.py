"""A bare-ASGI fast path for POST /webhooks/github in the standalone receiver.

FastAPI's routing, Request and JSONResponse cost about 0.3 ms of CPU per delivery, as much as
verifying and storing it (measured in-process: 0.61 vs 0.31 ms). The fast path answers the one
hot route with the same checks (`check_delivery`) and the same JSON body, and stores with group
commit (`BatchingInboxWriter`); every other request (docs, OpenAPI, lifespan) goes to the
FastAPI app, which still documents the route.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from agentops_pipelines.api.receiver.delivery_check import Verdict, check_delivery, stored_verdict
from agentops_pipelines.body_limit import asgi_chunks, send_json
from agentops_pipelines.gitops.inbox.body_reader import (
    LargeBodyGate,
    Refusal,
    precheck,
    read_verified,
)
from agentops_pipelines.gitops.inbox.writer import BatchingInboxWriter, InboxWriter

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
PATH = "/webhooks/github"


class WebhookFastPath:
    def __init__(self, app: ASGIApp, secret: str, writer: InboxWriter, max_body_bytes: int):
        self.app, self._secret, self._max = app, secret, max_body_bytes
        self._batch = BatchingInboxWriter(writer)
        self._gate = LargeBodyGate()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        signature = headers.get("x-hub-signature-256")
        declared = headers.get("content-length")
        refused = precheck(signature, declared, self._max)
        if refused is None:
            disconnected: list[bool] = []
            read = await read_verified(
                asgi_chunks(receive, disconnected),
                secret=self._secret,
                signature=signature or "",
                declared=declared,
                max_bytes=self._max,
                gate=self._gate,
            )
            if disconnected:
                return
            refused = read if isinstance(read, Refusal) else None
        if refused is not None:
            await send_json(send, refused.status_code, {"detail": refused.detail})
            return
        assert isinstance(read, bytes)
        checked = check_delivery(
            secret=self._secret,
            body=read,
            signature=signature,
            event=headers.get("x-github-event"),
            delivery_id=headers.get("x-github-delivery"),
            content_type=headers.get("content-type"),
            signature_checked=True,
        )
        if isinstance(checked, Verdict):
            verdict = checked
        else:
            inserted = await self._batch.record(checked.model_dump())
            verdict = stored_verdict(checked, inserted)
        content = verdict.model_dump(exclude={"status_code"}, exclude_none=True)
        await send_json(send, verdict.status_code, content)
