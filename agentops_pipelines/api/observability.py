"""Correlation IDs, JSON access logs and `/metrics` for the FastAPI app (one call: instrument).

The correlation ID comes from the caller's X-Request-ID when it is a sane token, else a new
one; it is bound for the request (every log line carries it) and echoed in the response.
Latency is labelled with the route template (`/api/plans/{plan_id}`), never the raw path, so
the label set stays bounded whatever clients send.
"""

from __future__ import annotations

import logging
import re
import time

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agentops_pipelines.llm.breaker_store import BreakerStore
from agentops_pipelines.observability.context import bind_correlation_id
from agentops_pipelines.observability.logs import configure_json_logging, json_logs_enabled
from agentops_pipelines.observability.metrics import ApiMetrics, BreakerSource
from agentops_pipelines.store.shared import shared_engine

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
_log = logging.getLogger("agentops.api.access")


def _route_label(scope: Scope) -> str:
    """FastAPI routes leave their template in the scope; plain Starlette routes (openapi.json,
    docs) leave only the endpoint, and have no path parameters, so their path is bounded too."""
    route = scope.get("route")
    if route is not None and getattr(route, "path", None):
        return str(route.path)
    if scope.get("endpoint") is not None and not scope.get("path_params"):
        return str(scope.get("path", "(unmatched)"))
    return "(unmatched)"


class ObservedRequests:
    """Pure ASGI middleware: it shares the scope with the router, so after the call the matched
    route (and its template) is there to label the metrics with."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
        status = 500

        with bind_correlation_id(given if _SAFE_ID.match(given) else None) as cid:

            async def send_with_id(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    MutableHeaders(scope=message)[REQUEST_ID_HEADER] = cid
                await send(message)

            started = time.perf_counter()
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, elapsed: float) -> None:
        route = _route_label(scope)
        method = scope.get("method", "")
        if route != "/metrics":
            self.metrics.observe(method, route, status, elapsed)
        _log.info(
            "request handled",
            extra={
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(elapsed * 1000, 3),
            },
        )


def _stored_breakers(engine: Engine) -> BreakerSource:
    """Breaker states from the app store's shared `llm_breaker` table: every process's router
    writes its transitions there, so the API reports them without holding a router itself."""
    store = BreakerStore(engine)

    def states() -> dict[str, str]:
        try:
            return {row["provider"]: row["state"] for row in store.all()}
        except SQLAlchemyError:  # table not migrated yet: no breaker has tripped anywhere
            return {}

    return states


def instrument(app: FastAPI, db_url: str | None = None) -> ApiMetrics:
    if json_logs_enabled():
        configure_json_logging("api")
    engine = shared_engine(db_url) if db_url else None
    metrics = ApiMetrics(engine, [_stored_breakers(engine)] if engine is not None else [])
    app.state.metrics = metrics

    app.add_middleware(ObservedRequests, metrics=metrics)

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return metrics
