"""The FastAPI application: settings, limits and routers; nothing else lives here."""

from __future__ import annotations

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
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.include_router(plans.router)
    return app
