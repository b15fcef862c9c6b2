"""The standalone webhook receiver: a FastAPI app with only the GitHub route.

Run it with `uvicorn --factory agentops_pipelines.api.receiver.standalone:app_from_env`, the secret
in AGENTOPS_GITHUB_WEBHOOK_SECRET and the app store in AGENTOPS_DB_URL.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine, inspect

from agentops_pipelines.api.receiver.delivery_check import GITHUB_MAX_PAYLOAD_BYTES
from agentops_pipelines.api.receiver.fast_path import WebhookFastPath
from agentops_pipelines.api.receiver.github_route import webhook_router
from agentops_pipelines.gitops.inbox.writer import InboxWriter
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.engine import make_engine

SECRET_ENV = "AGENTOPS_GITHUB_WEBHOOK_SECRET"


def create_receiver_app(
    db_url: str, secret: str, max_body_bytes: int = GITHUB_MAX_PAYLOAD_BYTES
) -> FastAPI:
    return _build(db_url, secret, max_body_bytes)[0]


def fast_receiver_app(
    db_url: str, secret: str, max_body_bytes: int = GITHUB_MAX_PAYLOAD_BYTES
) -> WebhookFastPath:
    """The receiver behind the bare-ASGI fast path (what `app_from_env` serves)."""
    app, writer = _build(db_url, secret, max_body_bytes)
    return WebhookFastPath(app, secret, writer, max_body_bytes)


def _build(db_url: str, secret: str, max_body_bytes: int) -> tuple[FastAPI, InboxWriter]:
    engine = make_engine(db_url)
    _ensure_inbox(engine, db_url)
    writer = InboxWriter(engine)
    app = FastAPI(title="AgentOps webhook receiver", version="0.1.0")
    app.include_router(webhook_router(secret, writer, max_body_bytes))
    return app, writer


def _ensure_inbox(engine: Engine, db_url: str) -> None:
    """Migrate only when the inbox is missing: the receiver needs no other table, and skipping
    Alembic (about a second of start-up) shortens the window after a crash in which GitHub's
    deliveries fail. The API and Dagster still bring every branch to its head when they start."""
    if not inspect(engine).has_table("webhook_inbox"):
        from agentops_pipelines.store.db import migrate

        migrate(db_url)


def app_from_env() -> WebhookFastPath:
    settings = get_settings()
    if settings.git.webhook_secret is None:
        raise RuntimeError(f"{SECRET_ENV} is not set: export the secret of the GitHub webhook")
    return fast_receiver_app(settings.app_db_url, settings.git.webhook_secret.get_secret_value())
