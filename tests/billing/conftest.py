"""Fixtures of the billing tests: a migrated store in tmp_path, the fake Stripe API, an app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from billing_fake_stripe import API_KEY, FakeStripe
from billing_support import OLD_SECRET, SECRET, StripeApi
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.client import build_stripe_client, load_stripe_settings
from agentops_pipelines.store.db import open_store


@pytest.fixture
def store(tmp_path: Path) -> sessionmaker[Session]:
    return open_store(f"sqlite:///{tmp_path / 'app.db'}")


@pytest.fixture
def fake_stripe(shared_data: Path) -> Iterator[FakeStripe]:
    with FakeStripe(shared_data / "stripe_webhooks/stripe-mock/fixtures3.subset.json") as fake:
        yield fake


@pytest.fixture
def stripe_env(fake_stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        "STRIPE_SECRET_KEY": API_KEY,
        "STRIPE_API_BASE": fake_stripe.base_url,
        "STRIPE_WEBHOOK_SECRETS": f"{SECRET},{OLD_SECRET}",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("STRIPE_PRICE_STARTER", raising=False)
    monkeypatch.delenv("STRIPE_PRICE_TEAM", raising=False)
    return env


@pytest.fixture
def stripe_client(stripe_env: dict[str, str]):
    return build_stripe_client(load_stripe_settings())


@pytest.fixture
def stripe_api(agentops_home: Path, stripe_env: dict[str, str]) -> StripeApi:
    from fastapi.testclient import TestClient

    from agentops_pipelines.api.app import create_app
    from agentops_pipelines.settings import load_settings
    from tests.auth_support import auth_headers

    settings = load_settings()
    app = create_app(settings)
    # The billing admin of workspace acme; webhooks ignore the token (they check signatures).
    client = TestClient(app, headers=auth_headers(app, "olga", "owner", workspace="acme"))
    return StripeApi(client, open_store(settings.app_db_url))
