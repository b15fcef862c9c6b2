"""One place that builds the HTTP test client for the API and the webhook receivers.

Tests of the hardening work go through `api_client`, so when every route requires
authentication the headers are added here once, not in every test.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from agentops_pipelines.api.app import create_app
from agentops_pipelines.settings import Settings

DEFAULT_HEADERS: dict[str, str] = {}
"""Headers every API test request carries (authentication goes here)."""


def api_client(
    app: FastAPI | None = None, settings: Settings | None = None, **create_kwargs: Any
) -> TestClient:
    """A TestClient for `app`, or for `create_app(settings, **create_kwargs)`."""
    target = app if app is not None else create_app(settings, **create_kwargs)
    return TestClient(target, headers=dict(DEFAULT_HEADERS), raise_server_exceptions=False)
