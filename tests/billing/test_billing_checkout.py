"""Checkout Session creation through the real stripe SDK against the local fake Stripe API."""

from __future__ import annotations

import pytest
import stripe
from billing_fake_stripe import API_KEY, FakeStripe
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.checkout import CheckoutItem, start_checkout, start_plan_checkout
from agentops_pipelines.billing.client import build_stripe_client, load_stripe_settings
from agentops_pipelines.billing.customers import customer_for_workspace
from agentops_pipelines.billing.entitlements import can_download, current_plan
from agentops_pipelines.billing.tables import BillingPurchaseRow
from agentops_pipelines.store.acting_workspace import within

OK, CANCEL = "https://app.example/billing?ok=1", "https://app.example/billing?cancel=1"


def _posts(fake: FakeStripe, path: str) -> list[dict]:
    return [r for r in fake.requests if r["method"] == "POST" and r["path"] == path]


def test_billing_plan_checkout_sends_subscription_session(
    store: sessionmaker[Session], stripe_client: stripe.StripeClient, fake_stripe: FakeStripe
) -> None:
    url = start_plan_checkout(store, stripe_client, "acme", "starter", OK, CANCEL)
    (request,) = _posts(fake_stripe, "/v1/checkout/sessions")
    form = request["form"]
    assert url.startswith("https://checkout.stripe.com/c/pay/cs_test_fake")
    assert request["headers"]["authorization"] == f"Bearer {API_KEY}"
    assert form["mode"] == "subscription"
    assert form["client_reference_id"] == "acme"
    assert form["metadata"] == {"workspace": "acme", "kind": "plan", "item": "starter"}
    assert form["subscription_data"]["metadata"] == {"workspace": "acme", "plan": "starter"}
    price = form["line_items"]["0"]["price_data"]
    assert (price["unit_amount"], price["currency"], price["recurring"]["interval"]) == (
        "3900",
        "usd",
        "month",
    )
    with within("acme"), store() as session:
        customer = customer_for_workspace(session, "acme")
        purchase = session.get(BillingPurchaseRow, url.rsplit("/", 1)[1])
    assert form["customer"] == customer and customer in fake_stripe.customers
    assert purchase is not None and (purchase.status, purchase.item) == ("open", "starter")
    # Creating a session grants nothing: only a verified completed event does.
    assert current_plan(store, "acme").id == "free"


def test_billing_team_price_and_configured_price_id(
    store: sessionmaker[Session],
    stripe_client: stripe.StripeClient,
    fake_stripe: FakeStripe,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start_plan_checkout(store, stripe_client, "acme", "team", OK, CANCEL)
    monkeypatch.setenv("STRIPE_PRICE_TEAM", "price_team_monthly")
    start_plan_checkout(store, stripe_client, "acme", "team", OK, CANCEL)
    first, second = _posts(fake_stripe, "/v1/checkout/sessions")
    assert first["form"]["line_items"]["0"]["price_data"]["unit_amount"] == "9900"
    assert second["form"]["line_items"]["0"] == {"price": "price_team_monthly", "quantity": "1"}
    # One customer per workspace, however many checkouts.
    assert len(_posts(fake_stripe, "/v1/customers")) == 1


def test_billing_template_checkout_is_a_one_off_payment(
    store: sessionmaker[Session], stripe_client: stripe.StripeClient, fake_stripe: FakeStripe
) -> None:
    item = CheckoutItem.for_template("tpl-nfr-pack", "NFR pack", 1900)
    start_checkout(store, stripe_client, "acme", item, OK, CANCEL)
    (request,) = _posts(fake_stripe, "/v1/checkout/sessions")
    assert request["form"]["mode"] == "payment"
    assert "recurring" not in request["form"]["line_items"]["0"]["price_data"]
    assert "subscription_data" not in request["form"]
    assert can_download(store, "acme", "tpl-nfr-pack") is False


def test_billing_checkout_errors_are_actionable(
    store: sessionmaker[Session],
    fake_stripe: FakeStripe,
    stripe_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ValueError, match="free: download it without checkout"):
        CheckoutItem.for_template("tpl-free", "Free", 0)
    with pytest.raises(KeyError, match="use one of free, starter, team"):
        start_plan_checkout(store, build_stripe_client(load_stripe_settings()), "a", "gold", OK, OK)
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_wrong_key_000000")
    client = build_stripe_client(load_stripe_settings())
    with pytest.raises(stripe.AuthenticationError) as info:
        start_plan_checkout(store, client, "acme", "starter", OK, CANCEL)
    assert "sk_test_wrong_key_000000" not in str(info.value)
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    with pytest.raises(ValueError, match="STRIPE_SECRET_KEY is not set"):
        build_stripe_client(load_stripe_settings())


def test_billing_settings_never_show_the_key(stripe_env: dict[str, str]) -> None:
    settings = load_stripe_settings()
    assert API_KEY not in repr(settings) and API_KEY not in settings.describe_key()
    assert settings.describe_key().startswith("test key sk_test_")
    assert len(settings.webhook_secrets) == 2
    assert "whsec_" not in repr(settings)
