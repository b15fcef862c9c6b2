"""The FastAPI application: settings, limits and routers; nothing else lives here."""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from agentops_pipelines.api import (
    allow,
    assistant,
    auth_layer,
    auth_routes,
    git_changes,
    marketplace,
    plans,
)
from agentops_pipelines.api.limits import DEFAULT_MAX_BODY_BYTES, BodySizeLimit
from agentops_pipelines.api.observability import instrument
from agentops_pipelines.artefacts import ArtefactKeyError
from agentops_pipelines.auth.config import AuthConfig, load_auth_config
from agentops_pipelines.settings import Settings, get_settings
from agentops_pipelines.store.db import ensure_schema


def create_app(
    settings: Settings | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    auth: AuthConfig | None = None,
) -> FastAPI:
    # Every route passes `enforce` (auth.policy.ROUTES); identity comes from the bearer token.
    app = FastAPI(
        title="AgentOps API",
        version="0.1.0",
        description="Specs in, plans, task graphs and verified pull requests out.",
        dependencies=[Depends(auth_layer.enforce)],
    )
    app.state.settings = settings or get_settings()
    app.state.auth = auth or load_auth_config()
    # The schema is migrated here, once per process, never per request (Alembic is not
    # thread-safe and every store shares one engine per URL: store.shared).
    ensure_schema(app.state.settings.app_db_url)
    app.add_exception_handler(ArtefactKeyError, _bad_key)
    marketplace.install_error_handler(app)
    allow.install(app)  # 405 lists every method of the path in Allow, not the first route's
    # Webhooks enforce their own (GitHub-sized) limit inside the router.
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes, exempt_prefixes=("/webhooks/",))
    app.add_middleware(
        auth_layer.IdentityMiddleware,
        config=app.state.auth,
        db_url=app.state.settings.app_db_url,
        workspace=app.state.settings.workspace,
    )
    instrument(app, app.state.settings.app_db_url)  # X-Request-ID, JSON access log, /metrics
    auth_layer.auth_store(app.state.settings.app_db_url)  # migrated before the first call
    auth_layer.document(app)
    app.include_router(auth_routes.router)
    app.include_router(plans.router)
    app.include_router(git_changes.router)
    app.include_router(marketplace.router)
    app.include_router(assistant.router)
    _mount_webhooks(app, app.state.settings)
    _mount_gitlab_webhook(app, app.state.settings)
    _mount_stripe_webhook(app, app.state.settings)
    _cap_llm_budget(app.state.settings)
    return app


async def _bad_key(request: Request, exc: Exception) -> JSONResponse:
    """A spec id too long to be a file name can name no artefact: the client's input, a 422."""
    return JSONResponse({"detail": str(exc)}, status_code=422)


def _cap_llm_budget(settings: Settings) -> None:
    """With plan limits on, SpecGPT's router calls meet the plan's budget from the first one."""
    if not settings.plan_limits:
        return
    from agentops_pipelines.billing.limits import ensure_plan_budget
    from agentops_pipelines.store.db import open_store

    ensure_plan_budget(open_store(settings.app_db_url), settings.workspace)


def _mount_webhooks(app: FastAPI, settings: Settings) -> None:
    """Without a secret no delivery could be verified, so the endpoint is not served at all."""
    secret_value = settings.git.webhook_secret
    if secret_value is None:
        logging.getLogger(__name__).warning(
            "POST /webhooks/github is off: set AGENTOPS_GITHUB_WEBHOOK_SECRET to the secret "
            "configured on the GitHub webhook to receive deliveries"
        )
        return
    from agentops_pipelines.api.receiver.github_route import webhook_router
    from agentops_pipelines.gitops.inbox.reader import InboxWriter
    from agentops_pipelines.store.db import shared_engine

    secret = secret_value.get_secret_value()
    app.include_router(webhook_router(secret, InboxWriter(shared_engine(settings.app_db_url))))


def _mount_gitlab_webhook(app: FastAPI, settings: Settings) -> None:
    """POST /webhooks/gitlab only when AGENTOPS_GITLAB_WEBHOOK_SECRET is set (nothing to check
    X-Gitlab-Token against otherwise)."""
    secret_value = settings.connect.gitlab_webhook_secret
    if secret_value is None:
        return
    secret = secret_value.get_secret_value()
    from agentops_pipelines.api.gitlab_webhooks import gitlab_webhook_router
    from agentops_pipelines.gitops.inbox.reader import InboxWriter
    from agentops_pipelines.store.db import shared_engine

    writer = InboxWriter(shared_engine(settings.app_db_url))
    app.include_router(gitlab_webhook_router(secret, writer))


def _mount_stripe_webhook(app: FastAPI, settings: Settings) -> None:
    """POST /webhooks/stripe only when STRIPE_WEBHOOK_SECRETS is set (else nothing verifies);
    POST /api/billing/checkout only when STRIPE_SECRET_KEY is set."""
    from agentops_pipelines.billing.client import stripe_settings_from

    stripe_settings = stripe_settings_from(settings.billing)
    if not (stripe_settings.webhook_enabled or stripe_settings.checkout_enabled):
        return
    from agentops_pipelines.api.billing import billing_api_router, stripe_webhook_router
    from agentops_pipelines.store.db import open_store

    store = open_store(settings.app_db_url)
    if stripe_settings.webhook_enabled:
        app.include_router(
            stripe_webhook_router(stripe_settings, store, enforce_limits=settings.plan_limits)
        )
    if stripe_settings.checkout_enabled:
        public = settings.deployment.public_url
        app.include_router(billing_api_router(stripe_settings, store, public))
