"""One place that builds the HTTP test client for the API and the webhook receivers.

Tests of the hardening work go through `api_client`: on the main API it signs in as an owner
(tests/auth_support.py), so every route's own checks are what the tests reach.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from agentops_pipelines.api.app import create_app
from agentops_pipelines.settings import Settings
from tests.auth_support import auth_headers

DEFAULT_HEADERS: dict[str, str] = {}
"""Headers every API test request carries, beside the owner's token on the main API."""


def api_client(
    app: FastAPI | None = None, settings: Settings | None = None, **create_kwargs: Any
) -> TestClient:
    """A TestClient for `app`, or for `create_app(settings, **create_kwargs)`."""
    target = app if app is not None else create_app(settings, **create_kwargs)
    headers = dict(DEFAULT_HEADERS)
    if hasattr(target.state, "auth"):  # the main API; the standalone receiver is public
        headers.update(auth_headers(target))
    return TestClient(target, headers=headers, raise_server_exceptions=False)
