"""The standalone webhook receiver: a FastAPI app with only the GitHub route.

Run it with `uvicorn --factory agentops_pipelines.gitops.receiver_app:app_from_env`, the secret
in AGENTOPS_GITHUB_WEBHOOK_SECRET and the app store in AGENTOPS_DB_URL.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from agentops_pipelines.api.webhooks import webhook_router
from agentops_pipelines.gitops.inbox import InboxWriter
from agentops_pipelines.gitops.receiver import GITHUB_MAX_PAYLOAD_BYTES
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import make_engine, migrate

SECRET_ENV = "AGENTOPS_GITHUB_WEBHOOK_SECRET"


def create_receiver_app(
    db_url: str, secret: str, max_body_bytes: int = GITHUB_MAX_PAYLOAD_BYTES
) -> FastAPI:
    migrate(db_url)
    app = FastAPI(title="AgentOps webhook receiver", version="0.1.0")
    app.include_router(webhook_router(secret, InboxWriter(make_engine(db_url)), max_body_bytes))
    return app


def app_from_env() -> FastAPI:
    secret = os.environ.get(SECRET_ENV, "")
    if not secret:
        raise RuntimeError(f"{SECRET_ENV} is not set: export the secret of the GitHub webhook")
    return create_receiver_app(load_settings().app_db_url, secret)
