"""The FastAPI application: settings, limits and routers; nothing else lives here."""

from __future__ import annotations

import logging
import os

from fastapi import FastAPI

from agentops_pipelines.api import plans
from agentops_pipelines.api.limits import DEFAULT_MAX_BODY_BYTES, BodySizeLimit
from agentops_pipelines.settings import Settings, load_settings


def create_app(
    settings: Settings | None = None, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> FastAPI:
    app = FastAPI(
        title="AgentOps API",
        version="0.1.0",
        description="Specs in, plans, task graphs and verified pull requests out.",
    )
    app.state.settings = settings or load_settings()
    # Webhooks enforce their own (GitHub-sized) limit inside the router.
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes, exempt_prefixes=("/webhooks/",))
    app.include_router(plans.router)
    _mount_webhooks(app, app.state.settings)
    return app


def _mount_webhooks(app: FastAPI, settings: Settings) -> None:
    """Without a secret no delivery could be verified, so the endpoint is not served at all."""
    secret = os.environ.get("AGENTOPS_GITHUB_WEBHOOK_SECRET")
    if not secret:
        logging.getLogger(__name__).warning(
            "POST /webhooks/github is off: set AGENTOPS_GITHUB_WEBHOOK_SECRET to the secret "
            "configured on the GitHub webhook to receive deliveries"
        )
        return
    from agentops_pipelines.api.webhooks import webhook_router
    from agentops_pipelines.gitops.inbox import InboxWriter
    from agentops_pipelines.store.db import make_engine, migrate

    migrate(settings.app_db_url)
    app.include_router(webhook_router(secret, InboxWriter(make_engine(settings.app_db_url))))
