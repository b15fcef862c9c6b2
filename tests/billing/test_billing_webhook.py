"""POST /webhooks/stripe: every shared fixture signed; bad, expired and rotated signatures."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from billing_events import fixture_files, load_fixture, make_event, sign
from billing_support import OLD_SECRET, SECRET, StripeApi
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.customers import link_customer
from agentops_pipelines.billing.tables import (
    BillingEventRow,
    BillingInvoiceRow,
    BillingSubscriptionRow,
)
from agentops_pipelines.billing.webhook import WebhookRejected, verify_event
from agentops_pipelines.store.acting_workspace import system_scope

# What billing does with each fixture once its customer is linked to a workspace.
EXPECTED_STATUS = {
    "account.updated.json": "ignored",
    "charge.refunded.json": "ignored",
    "charge.succeeded.json": "ignored",
    "charge.updated.json": "ignored",
    # The pay-rails session has no metadata and a customer nobody linked: stored, not granted.
    "checkout.session.completed.json": "unmatched",
    "customer.deleted.json": "ignored",
    "customer.updated.json": "ignored",
    "invoice.json": "processed",
    "invoice.payment_action_required.json": "ignored",
    "invoice.payment_failed.json": "processed",
    "invoice.upcoming.json": "ignored",
    "invoice.updated.json": "ignored",
    "payment_method.attached.json": "ignored",
    "payment_method.detached.json": "ignored",
    "payment_method.updated.json": "ignored",
    "payment_methods/link.json": "ignored",
    "subscription.created.json": "processed",
    "subscription.deleted.json": "processed",
    "subscription.trial_ended.json": "processed",
    "subscription.trial_will_end.json": "ignored",
    "subscription.updated.json": "processed",
}


def _link(store: sessionmaker[Session], **workspaces: str) -> None:
    with system_scope(), store.begin() as session:
        for workspace, customer in workspaces.items():
            link_customer(session, workspace, customer)


def _count(store: sessionmaker[Session]) -> int:
    with system_scope(), store() as session:
        return session.scalar(select(func.count()).select_from(BillingEventRow)) or 0


def _fixture_event(shared_data: Path, name: str, n: int = 1, created: int | None = None) -> dict:
    event_type, obj, previous = load_fixture(shared_data, name)
    return make_event(
        event_type,
        obj,
        created=created or 1_700_000_000 + n,
        event_id=f"evt_fixture_{n:03d}",
        previous_attributes=previous,
    )


def test_billing_every_fixture_verifies_and_is_stored(
    shared_data: Path, stripe_api: StripeApi
) -> None:
    _link(stripe_api.store, acme="cus_00000000000000", globex="cus_1234")
    _link(stripe_api.store, initech="cus_S9YwWMaQEgeJYO")
    root = shared_data / "stripe_webhooks/pay-rails-fixtures"
    names = [p.relative_to(root).as_posix() for p in fixture_files(shared_data)]
    assert sorted(names) == sorted(EXPECTED_STATUS)
    for n, name in enumerate(names, start=1):
        response = stripe_api.deliver(_fixture_event(shared_data, name, n))
        assert response.status_code == 200, (name, response.text)
        assert response.json()["status"] == EXPECTED_STATUS[name], (name, response.json())
    assert _count(stripe_api.store) == len(names)
    with system_scope(), stripe_api.store() as session:
        failed = session.get(BillingInvoiceRow, "in_1234")
        paid = session.get(BillingInvoiceRow, "in_1RFFohKXBGcbgpbZk9MxzDMc")
        sub = session.get(BillingSubscriptionRow, "sub_00000000000000")
    assert failed and failed.payment_failed and failed.workspace == "globex"
    assert paid and paid.status == "paid" and paid.workspace == "initech"
    assert sub and sub.status == "canceled" and sub.workspace == "acme"


@pytest.mark.parametrize(
    ("header_for", "reason"),
    [
        (lambda body, t: sign(body, ["whsec_someone_else"], t), "No signatures found matching"),
        (lambda body, t: sign(body + " ", [SECRET], t), "No signatures found matching"),
        (lambda body, t: f"t={t},v0=" + "0" * 64, "expected scheme v1"),
        (lambda body, t: "garbage", "Unable to extract timestamp"),
        (lambda body, t: "", "missing Stripe-Signature header"),
    ],
    ids=["wrong-secret", "tampered-body", "only-v0", "malformed", "missing"],
)
def test_billing_invalid_signatures_are_rejected_and_not_stored(
    shared_data: Path, stripe_api: StripeApi, header_for, reason: str
) -> None:
    event = _fixture_event(shared_data, "subscription.created.json")
    body = json.dumps(event, indent=2)
    response = stripe_api.deliver(event, header=header_for(body, int(time.time())))
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert SECRET not in response.text and OLD_SECRET not in response.text
    assert _count(stripe_api.store) == 0


def test_billing_expired_signature_is_rejected(shared_data: Path, stripe_api: StripeApi) -> None:
    event = _fixture_event(shared_data, "invoice.payment_failed.json")
    stale = stripe_api.deliver(event, timestamp=int(time.time()) - 301)
    assert stale.status_code == 400
    assert "Timestamp outside the tolerance zone" in stale.json()["detail"]
    assert _count(stripe_api.store) == 0
    recent = stripe_api.deliver(event, timestamp=int(time.time()) - 200)
    assert recent.status_code == 200


def test_billing_tolerance_is_configurable(
    shared_data: Path, stripe_api: StripeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from agentops_pipelines.api.app import create_app
    from agentops_pipelines.settings import load_settings

    monkeypatch.setenv("STRIPE_WEBHOOK_TOLERANCE", "10")
    api = StripeApi(TestClient(create_app(load_settings())), stripe_api.store)
    event = _fixture_event(shared_data, "charge.succeeded.json")
    assert api.deliver(event, timestamp=int(time.time()) - 15).status_code == 400
    assert api.deliver(event, timestamp=int(time.time()) - 2).status_code == 200


def test_billing_rotated_secrets_each_verify(shared_data: Path, stripe_api: StripeApi) -> None:
    events = [_fixture_event(shared_data, "charge.updated.json", n) for n in range(1, 5)]
    assert stripe_api.deliver(events[0], secrets=[OLD_SECRET]).status_code == 200
    assert stripe_api.deliver(events[1], secrets=[SECRET]).status_code == 200
    # During a roll Stripe signs with both secrets: one v1 per secret.
    assert stripe_api.deliver(events[2], secrets=["whsec_unknown", OLD_SECRET]).status_code == 200
    body = json.dumps(events[3], indent=2)
    header = sign(body, [SECRET]) + ",v1=bad_signature"
    assert stripe_api.deliver(events[3], header=header).status_code == 200
    assert _count(stripe_api.store) == 4


def test_billing_verifier_matches_the_shared_vector(shared_data: Path) -> None:
    vector = json.loads((shared_data / "stripe_webhooks/derived_vector.json").read_text())
    payload, secret, t = vector["payload"], vector["secret"], vector["timestamp"]
    assert sign(payload, [secret], t) == vector["header"]
    # The signature is right (tolerance 0 disables the age check), but the body is a test
    # payload without `created`, which is how a non-event is reported.
    with pytest.raises(WebhookRejected, match="not a Stripe event"):
        verify_event(payload.encode(), vector["header"], ["whsec_other", secret], 0)
    with pytest.raises(WebhookRejected, match="tolerance zone"):
        verify_event(payload.encode(), vector["header"], [secret], 300)


def test_billing_non_json_body_with_valid_signature_is_rejected(stripe_api: StripeApi) -> None:
    body = "not json"
    response = stripe_api.client.post(
        "/webhooks/stripe", content=body, headers={"Stripe-Signature": sign(body, [SECRET])}
    )
    assert response.status_code == 400 and "not JSON" in response.json()["detail"]


def test_billing_endpoint_limits_and_mounting(
    agentops_home: Path, stripe_api: StripeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from agentops_pipelines.api.app import create_app
    from agentops_pipelines.settings import load_settings

    huge = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    response = stripe_api.client.post(
        "/webhooks/stripe", content=huge, headers={"Stripe-Signature": "t=1,v1=x"}
    )
    assert response.status_code == 413
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRETS")
    bare = TestClient(create_app(load_settings()))
    assert bare.post("/webhooks/stripe", content=b"{}").status_code == 404


@pytest.mark.parametrize(
    ("body", "problem"),
    [("[]", "a JSON array"), ('[{"id": "evt_1"}]', "a JSON array"), ("   ", "empty")],
    ids=["empty-array", "array-of-events", "blank"],
)
def test_billing_signed_body_that_is_not_an_object_is_400(
    stripe_api: StripeApi, body: str, problem: str
) -> None:
    response = stripe_api.client.post(
        "/webhooks/stripe", content=body, headers={"Stripe-Signature": sign(body, [SECRET])}
    )
    assert response.status_code == 400, response.text
    assert problem in response.json()["detail"] and "one JSON object" in response.json()["detail"]
    assert _count(stripe_api.store) == 0
