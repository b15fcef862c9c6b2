"""An API with every router mounted (GitHub and Stripe webhooks, checkout) on a tmp home."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI


@pytest.fixture
def full_app(agentops_home: Path, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    from agentops_pipelines.api.app import create_app
    from agentops_pipelines.settings import load_settings

    monkeypatch.setenv("AGENTOPS_GITHUB_WEBHOOK_SECRET", "gh-secret-for-tests")
    monkeypatch.setenv("AGENTOPS_GITLAB_WEBHOOK_SECRET", "gl-secret-for-tests")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRETS", "whsec_for_tests")
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_never_called")
    monkeypatch.setenv("STRIPE_API_BASE", "http://127.0.0.1:9")  # nothing may reach Stripe
    monkeypatch.delenv("AGENTOPS_OIDC_ISSUER", raising=False)
    return create_app(load_settings())


@pytest.fixture
def oidc_provider():
    from tests.auth.oidc_provider import running_provider

    with running_provider() as provider:
        yield provider
