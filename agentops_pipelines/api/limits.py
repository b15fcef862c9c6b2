"""Request body size limit as a pure ASGI middleware (the shared limiter of `body_limit`).

It buffers the body up to the limit before the app sees it, so a client that lies in (or omits)
Content-Length still gets a 413 instead of making the server hold an unbounded body.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agentops_pipelines.body_limit import asgi_chunks, read_limited, send_json

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class BodySizeLimit:
    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = DEFAULT_MAX_BODY_BYTES,
        exempt_prefixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt_prefixes = exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(self.exempt_prefixes):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        body = await read_limited(
            asgi_chunks(receive), self.max_bytes, declared.decode("latin-1") if declared else None
        )
        if body is None:
            detail = f"request body is larger than {self.max_bytes} bytes; send a smaller spec"
            await send_json(send, 413, {"detail": detail})
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
