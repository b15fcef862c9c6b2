"""Entitlements: granted only by a verified, paid checkout; plan limits follow the subscription."""

from __future__ import annotations

import time

import pytest
import stripe
from billing_events import make_event
from billing_fake_stripe import FakeStripe
from billing_support import StripeApi

from agentops_pipelines.billing.checkout import CheckoutItem, start_checkout, start_plan_checkout
from agentops_pipelines.billing.entitlements import (
    PlanLimitExceeded,
    can_download,
    check_limit,
    current_plan,
    ensure_within_limit,
    plan_limits,
)
from agentops_pipelines.billing.overview import billing_overview

OK = "https://app.example/billing"
TEMPLATE = "tpl-auth-feature-ears"


def _session_id(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_billing_paid_template_downloadable_only_after_verified_checkout(
    stripe_api: StripeApi, stripe_client: stripe.StripeClient, fake_stripe: FakeStripe
) -> None:
    item = CheckoutItem.for_template(TEMPLATE, "Auth feature spec (EARS)", 1900)
    url = start_checkout(stripe_api.store, stripe_client, "acme", item, OK, OK)
    assert can_download(stripe_api.store, "acme", TEMPLATE) is False

    completed = fake_stripe.complete_session(_session_id(url))
    event = make_event(
        "checkout.session.completed", completed, created=int(time.time()), event_id="evt_cs_1"
    )
    forged = stripe_api.deliver(event, secrets=["whsec_attacker"])
    assert forged.status_code == 400
    assert can_download(stripe_api.store, "acme", TEMPLATE) is False

    unpaid = make_event(
        "checkout.session.completed",
        dict(completed, payment_status="unpaid"),
        created=int(time.time()),
        event_id="evt_cs_unpaid",
    )
    assert stripe_api.deliver(unpaid).json()["detail"] == "payment pending: not granted"
    assert can_download(stripe_api.store, "acme", TEMPLATE) is False

    assert stripe_api.deliver(event).status_code == 200
    assert can_download(stripe_api.store, "acme", TEMPLATE) is True
    assert can_download(stripe_api.store, "globex", TEMPLATE) is False
    assert can_download(stripe_api.store, "acme", "tpl-other") is False


def test_billing_plan_checkout_grants_limits_until_canceled(
    stripe_api: StripeApi, stripe_client: stripe.StripeClient, fake_stripe: FakeStripe
) -> None:
    store = stripe_api.store
    assert current_plan(store, "acme").id == "free"
    assert plan_limits(store, "acme").seats == 1
    url = start_plan_checkout(store, stripe_client, "acme", "team", OK, OK)
    completed = fake_stripe.complete_session(_session_id(url))
    now = int(time.time())
    event = make_event("checkout.session.completed", completed, created=now, event_id="evt_t1")
    assert stripe_api.deliver(event).status_code == 200
    # The handler read the subscription's current state back from Stripe.
    sub_id = completed["subscription"]
    assert any(r["path"] == f"/v1/subscriptions/{sub_id}" for r in fake_stripe.requests)

    assert current_plan(store, "acme").id == "team"
    limits = plan_limits(store, "acme")
    assert (limits.seats, limits.specs, limits.llm_budget_usd) == (15, 250, 300)
    assert check_limit(store, "acme", "specs", 249).allowed is True
    assert check_limit(store, "acme", "specs", 250).allowed is False
    assert current_plan(store, "globex").id == "free"

    sub = fake_stripe.subscriptions[sub_id]
    deleted = make_event(
        "customer.subscription.deleted",
        dict(sub, status="canceled"),
        created=now + 60,
        event_id="evt_t2",
    )
    assert stripe_api.deliver(deleted).status_code == 200
    assert current_plan(store, "acme").id == "free"
    with pytest.raises(PlanLimitExceeded, match="upgrade on the Billing page"):
        ensure_within_limit(store, "acme", "specs", 3)

    overview = billing_overview(store, "acme")
    assert overview.plan.id == "free"
    assert [s["status"] for s in overview.subscriptions] == ["canceled"]
    assert {(e["key"], e["active"]) for e in overview.entitlements} == {("team", False)}
    assert [e["event"] for e in overview.events] == ["evt_t2", "evt_t1"]


def test_billing_unknown_limit_is_named(stripe_api: StripeApi) -> None:
    with pytest.raises(ValueError, match="use one of seats, specs, llm_budget_usd"):
        check_limit(stripe_api.store, "acme", "gpus", 0)


def test_billing_bank_debit_grants_on_async_payment_succeeded(
    stripe_api: StripeApi, stripe_client: stripe.StripeClient, fake_stripe: FakeStripe
) -> None:
    item = CheckoutItem.for_template("nfr-pack", "NFR pack", 1900)
    url = start_checkout(stripe_api.store, stripe_client, "acme", item, OK, OK)
    paid = fake_stripe.complete_session(_session_id(url))
    now = int(time.time())
    unpaid = dict(paid, payment_status="unpaid")
    completed = make_event("checkout.session.completed", unpaid, created=now, event_id="evt_b1")
    settled = make_event(
        "checkout.session.async_payment_succeeded", paid, created=now + 5, event_id="evt_b2"
    )
    assert stripe_api.deliver(completed).status_code == 200
    assert can_download(stripe_api.store, "acme", "nfr-pack") is False
    assert stripe_api.deliver(settled).status_code == 200
    assert can_download(stripe_api.store, "acme", "nfr-pack") is True
