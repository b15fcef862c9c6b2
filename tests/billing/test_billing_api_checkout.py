"""POST /api/billing/checkout: a plan's Checkout URL; fixed return URLs; actionable errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from billing_fake_stripe import FakeStripe
from billing_support import StripeApi


def test_billing_api_checkout_returns_the_session_url(
    stripe_api: StripeApi, fake_stripe: FakeStripe
) -> None:
    response = stripe_api.client.post(
        "/api/billing/checkout", json={"workspace": "acme", "plan": "team"}
    )
    assert response.status_code == 200, response.text
    (session_id,) = fake_stripe.sessions
    assert response.json() == {"url": f"https://checkout.stripe.com/c/pay/{session_id}"}
    form = fake_stripe.sessions[session_id]
    assert form["success_url"] == "http://localhost:8501/billing?checkout=success"


def test_billing_api_checkout_errors(
    stripe_api: StripeApi, monkeypatch: pytest.MonkeyPatch, agentops_home: Path
) -> None:
    unknown = stripe_api.client.post(
        "/api/billing/checkout", json={"workspace": "acme", "plan": "gold"}
    )
    assert unknown.status_code == 422 and "use one of free, starter, team" in unknown.text
    free = stripe_api.client.post(
        "/api/billing/checkout", json={"workspace": "acme", "plan": "free"}
    )
    assert free.status_code == 422 and "nothing to check out" in free.text

    from agentops_pipelines.api.app import create_app
    from agentops_pipelines.settings import load_settings
    from tests.auth_support import api_client

    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_revoked_key_1111")
    refused = api_client(create_app(load_settings()), "olga", "owner", workspace="acme").post(
        "/api/billing/checkout", json={"workspace": "acme", "plan": "team"}
    )
    assert refused.status_code == 502 and "Invalid API Key" in refused.text
    assert "sk_test_revoked_key_1111" not in refused.text
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    off = api_client(create_app(load_settings()), "olga", "owner", workspace="acme").post(
        "/api/billing/checkout", json={"workspace": "acme", "plan": "team"}
    )
    assert off.status_code == 404
