"""POST /webhooks/gitlab: GitLab deliveries checked by X-Gitlab-Token, stored in the inbox."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from agentops_pipelines.connect.gitlab_webhook import GITLAB_MAX_PAYLOAD_BYTES, precheck, store
from agentops_pipelines.gitops.inbox.writer import InboxWriter


def gitlab_webhook_router(
    secret: str, writer: InboxWriter, max_body_bytes: int = GITLAB_MAX_PAYLOAD_BYTES
) -> APIRouter:
    if not secret:
        raise ValueError("GitLab webhook secret is empty: set the hook's secret token")
    router = APIRouter(tags=["webhooks"])

    @router.post(
        "/webhooks/gitlab",
        status_code=202,
        summary="Receive a GitLab webhook delivery",
        responses={
            200: {"description": "Redelivery of a delivery already stored"},
            202: {"description": "Stored in the inbox"},
            400: {"description": "Missing delivery headers or a body that is not a JSON object"},
            401: {"description": "Missing or wrong X-Gitlab-Token"},
            413: {"description": "Body larger than the limit"},
        },
    )
    async def receive_gitlab(request: Request) -> JSONResponse:
        headers = request.headers
        verdict = precheck(secret, headers, max_body_bytes)
        if verdict is None:
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > max_body_bytes:
                    return JSONResponse(
                        {"detail": f"body exceeds the limit of {max_body_bytes} bytes"},
                        status_code=413,
                    )
            verdict = store(writer, headers, body)
        content = verdict.model_dump(exclude={"status_code"}, exclude_none=True)
        return JSONResponse(content, status_code=verdict.status_code)

    return router
