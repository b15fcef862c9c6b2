"""Observability: /metrics on the API, X-Request-ID correlation, JSON logs with redaction."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session

from agentops_pipelines.api.app import create_app
from agentops_pipelines.gitops.inbox.tables import WebhookInboxRow
from agentops_pipelines.llm.tables import BreakerRow
from agentops_pipelines.observability import bind_correlation_id, configure_json_logging
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import make_engine, migrate
from tests.auth_support import api_client


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_warehouse_metrics_endpoint(agentops_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("AGENTOPS_LOG_FORMAT", "plain")
    settings = load_settings()
    migrate(settings.app_db_url)
    with Session(make_engine(settings.app_db_url)) as session, session.begin():
        for i, status in enumerate(["pending", "pending", "processed"]):
            session.add(
                WebhookInboxRow(
                    delivery_id=f"d{i}",
                    event="push",
                    action=None,
                    received_at=datetime.now(UTC),
                    payload="{}",
                    status=status,
                )
            )
        # what a router in another process (Dagster, Streamlit) writes when a breaker trips
        for provider, state in (("openai", "open"), ("mistral", "closed")):
            session.add(
                BreakerRow(
                    provider=provider,
                    state=state,
                    consecutive_failures=5 if state == "open" else 0,
                    window_requests=5,
                    window_failures=5 if state == "open" else 0,
                    opened_at=1.0 if state == "open" else None,
                    since=1.0,
                    updated_at=1.0,
                    generation=1,
                )
            )
    app = create_app(settings)
    # Prometheus scrapes with a token that may read metrics and nothing else.
    client = api_client(app, "prometheus", "viewer", scopes=["metrics:read"])
    for _ in range(3):
        client.get("/openapi.json")
    response = client.get("/metrics")
    assert response.status_code == 200
    samples = _samples(response.text)
    key = (
        "agentops_http_requests_total",
        (("method", "GET"), ("route", "/openapi.json"), ("status", "200")),
    )
    assert samples[key] == 3
    count_key = (
        "agentops_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "/openapi.json")),
    )
    assert samples[count_key] == 3
    assert samples[("agentops_webhook_inbox_depth", ())] == 2
    assert samples[("agentops_llm_breaker_state", (("provider", "openai"), ("state", "open")))] == 1
    assert (
        samples[("agentops_llm_breaker_state", (("provider", "openai"), ("state", "closed")))] == 0
    )
    assert (
        samples[("agentops_llm_breaker_state", (("provider", "mistral"), ("state", "closed")))] == 1
    )
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_warehouse_request_id_echoed_and_generated(agentops_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("AGENTOPS_LOG_FORMAT", "plain")
    client = TestClient(create_app(load_settings()))
    given = client.get("/openapi.json", headers={"X-Request-ID": "req-42"})
    assert given.headers["X-Request-ID"] == "req-42"
    made = client.get("/openapi.json", headers={"X-Request-ID": "bad id\nwith newline"})
    assert len(made.headers["X-Request-ID"]) == 32


def test_warehouse_json_logs_carry_correlation_id_and_redact() -> None:
    stream = io.StringIO()
    handler = configure_json_logging("test-json", stream=stream)
    try:
        with bind_correlation_id("run-123"):
            logging.getLogger("agentops.test").warning(
                "calling with key %s",
                "sk-proj-abcdefghijklmnopqrstuvwxyz012345",
                extra={"day": "d"},
            )
        line = json.loads(stream.getvalue().strip().splitlines()[-1])
    finally:
        logging.getLogger().removeHandler(handler)
    assert line["correlation_id"] == "run-123"
    assert line["service"] == "test-json" and line["day"] == "d"
    assert "abcdefghijklmnop" not in line["message"]
