"""Duplicates and out-of-order deliveries end in the state of the ordered stream."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path

import pytest
from billing_events import load_fixture, make_event
from billing_support import StripeApi
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing import handlers
from agentops_pipelines.billing.customers import link_customer
from agentops_pipelines.billing.entitlements import current_plan
from agentops_pipelines.billing.models import HandlerContext, StripeEvent
from agentops_pipelines.billing.ordering import subscription_update_wins
from agentops_pipelines.billing.plans import load_billing_config
from agentops_pipelines.billing.tables import (
    BillingEventRow,
    BillingInvoiceRow,
    BillingSubscriptionRow,
)
from agentops_pipelines.billing.webhook import ingest_event
from agentops_pipelines.store.acting_workspace import system_scope

FIXTURE_PRICE = "FFBEGINNER_00000000000000"  # the price id in pay-rails' subscription fixtures


@pytest.fixture
def starter_price(monkeypatch: pytest.MonkeyPatch) -> None:
    """Map the fixtures' price to our Starter plan, as STRIPE_PRICE_STARTER does in production."""
    monkeypatch.setenv("STRIPE_PRICE_STARTER", FIXTURE_PRICE)


def _sub_event(shared: Path, name: str, created: int, sub_id: str, status: str | None = None):
    event_type, obj, previous = load_fixture(shared, name)
    obj = copy.deepcopy(obj)
    obj["id"] = sub_id
    if status:
        obj["status"] = status
    return make_event(
        event_type,
        obj,
        created=created,
        event_id=f"evt_{sub_id}_{created}",
        previous_attributes=previous,
    )


def _ingest(store: sessionmaker[Session], event: dict) -> str:
    ctx = HandlerContext(config=load_billing_config())
    raw = json.dumps(event)
    return ingest_event(store, StripeEvent.model_validate_json(raw), raw, ctx).status


def _sub(store: sessionmaker[Session], sub_id: str) -> BillingSubscriptionRow:
    with system_scope(), store() as session:
        row = session.get(BillingSubscriptionRow, sub_id)
    assert row is not None
    return row


def test_billing_deleted_then_stale_created_stays_canceled(
    shared_data: Path, stripe_api: StripeApi, starter_price: None
) -> None:
    with system_scope(), stripe_api.store.begin() as session:
        link_customer(session, "acme", "cus_00000000000000")
    sub = "sub_00000000000000"
    created = _sub_event(shared_data, "subscription.created.json", 100, sub)
    deleted = _sub_event(shared_data, "subscription.deleted.json", 300, sub)
    assert stripe_api.deliver(created).status_code == 200
    assert current_plan(stripe_api.store, "acme").id == "starter"
    assert stripe_api.deliver(deleted).status_code == 200
    assert current_plan(stripe_api.store, "acme").id == "free"
    # A retry of the old "created" arrives late, under a new event id: it must not revive it.
    late = dict(created, id="evt_late_retry")
    response = stripe_api.deliver(late)
    assert (
        response.status_code == 200 and "older than the stored state" in response.json()["detail"]
    )
    assert _sub(stripe_api.store, sub).status == "canceled"
    assert current_plan(stripe_api.store, "acme").id == "free"


def test_billing_duplicate_delivery_is_acknowledged_once(
    shared_data: Path, stripe_api: StripeApi, starter_price: None
) -> None:
    with system_scope(), stripe_api.store.begin() as session:
        link_customer(session, "acme", "cus_00000000000000")
    event = _sub_event(shared_data, "subscription.created.json", 100, "sub_dup")
    first = stripe_api.deliver(event)
    second = stripe_api.deliver(event)  # Stripe redelivers with a fresh signature timestamp
    assert first.json()["duplicate"] is False and first.json()["status"] == "processed"
    assert second.status_code == 200 and second.json()["duplicate"] is True
    with system_scope(), stripe_api.store() as session:
        count = session.scalar(select(func.count()).select_from(BillingEventRow))
    assert count == 1
    assert _sub(stripe_api.store, "sub_dup").source_event == event["id"]


# (fixture, created, status override): the ordered lifecycle of one subscription.
LIFECYCLE = [
    ("subscription.created.json", 100, "trialing"),
    ("subscription.trial_ended.json", 200, "active"),
    ("subscription.created.json", 300, "past_due"),
    ("subscription.deleted.json", 400, None),
]
NON_TERMINAL = LIFECYCLE[:3]


@pytest.mark.parametrize(
    ("steps", "final"), [(LIFECYCLE, ("canceled", 400)), (NON_TERMINAL, ("past_due", 300))]
)
def test_billing_every_delivery_order_ends_in_the_ordered_state(
    shared_data: Path, store: sessionmaker[Session], steps: list, final: tuple[str, int]
) -> None:
    with system_scope(), store.begin() as session:
        link_customer(session, "acme", "cus_00000000000000")
    for n, order in enumerate(itertools.permutations(steps)):
        sub = f"sub_perm_{len(steps)}_{n}"
        for name, created, status in order:
            _ingest(store, _sub_event(shared_data, name, created, sub, status))
        row = _sub(store, sub)
        assert (row.status, row.stamp) == final, [s[1] for s in order]


def test_billing_same_second_prefers_later_lifecycle_state() -> None:
    assert subscription_update_wins(("active", 10), ("past_due", 10)) is True
    assert subscription_update_wins(("past_due", 10), ("active", 9)) is False
    assert subscription_update_wins(("canceled", 5), ("active", 99)) is False
    assert subscription_update_wins(("active", 99), ("canceled", 5)) is True


def test_billing_paid_invoice_is_not_reopened_by_a_late_failure(
    shared_data: Path, stripe_api: StripeApi
) -> None:
    with system_scope(), stripe_api.store.begin() as session:
        link_customer(session, "globex", "cus_1234")
    event_type, failed_obj, _ = load_fixture(shared_data, "invoice.payment_failed.json")
    paid_obj = dict(failed_obj, status="paid", amount_paid=failed_obj["amount_due"])
    paid = make_event("invoice.paid", paid_obj, created=200, event_id="evt_inv_paid")
    failed = make_event(event_type, failed_obj, created=100, event_id="evt_inv_failed")
    assert stripe_api.deliver(paid).status_code == 200
    assert stripe_api.deliver(failed).status_code == 200
    with system_scope(), stripe_api.store() as session:
        row = session.get(BillingInvoiceRow, "in_1234")
    assert row is not None
    assert (row.status, row.payment_failed, row.amount_paid) == ("paid", False, 24900)


def test_billing_failed_handling_is_retried_by_redelivery(
    shared_data: Path, stripe_api: StripeApi, monkeypatch: pytest.MonkeyPatch, starter_price: None
) -> None:
    with system_scope(), stripe_api.store.begin() as session:
        link_customer(session, "acme", "cus_00000000000000")
    event = _sub_event(shared_data, "subscription.created.json", 100, "sub_retry")
    original = handlers.HANDLERS["customer.subscription.created"]

    def broken(*_args: object) -> handlers.Outcome:
        raise RuntimeError("database went away")

    monkeypatch.setitem(handlers.HANDLERS, "customer.subscription.created", broken)
    response = stripe_api.deliver(event)
    assert response.status_code == 500 and "will be retried" in response.json()["detail"]
    with system_scope(), stripe_api.store() as session:
        row = session.get(BillingEventRow, event["id"])
        assert row is not None and row.status == "failed"  # stored before any 2xx
    monkeypatch.setitem(handlers.HANDLERS, "customer.subscription.created", original)
    retry = stripe_api.deliver(event)
    assert retry.status_code == 200 and retry.json()["status"] == "processed"
    assert current_plan(stripe_api.store, "acme").id == "starter"
