"""Concurrent deliveries (Stripe sends in parallel): no lost event, no error, one final state."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from billing_events import make_event
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.customers import link_customer
from agentops_pipelines.billing.entitlements import current_plan
from agentops_pipelines.billing.models import HandlerContext, StripeEvent
from agentops_pipelines.billing.plans import load_billing_config
from agentops_pipelines.billing.tables import BillingEventRow, BillingSubscriptionRow
from agentops_pipelines.billing.webhook import ingest_event
from agentops_pipelines.store.acting_workspace import system_scope


def _events(n: int) -> list[dict]:
    """For each of n subscriptions: completed checkout, created, updated, each sent twice."""
    events = []
    for i in range(n):
        sub = {"id": f"sub_c{i}", "object": "subscription", "status": "active"}
        sub |= {"customer": {"id": "cus_conc", "object": "customer"}}  # expanded reference
        sub["metadata"] = {"plan": "starter"}
        checkout = {"id": f"cs_c{i}", "object": "checkout.session", "mode": "subscription"}
        checkout |= {"payment_status": "paid", "customer": "cus_conc", "subscription": sub["id"]}
        checkout["metadata"] = {"workspace": "acme", "kind": "plan", "item": "starter"}
        events += [
            make_event("checkout.session.completed", checkout, created=100, event_id=f"a{i}"),
            make_event("customer.subscription.created", sub, created=100, event_id=f"b{i}"),
            make_event(
                "customer.subscription.updated",
                dict(sub, status="past_due"),
                created=200,
                event_id=f"c{i}",
            ),
        ]
    return events * 2


def test_billing_parallel_deliveries_converge(store: sessionmaker[Session]) -> None:
    with system_scope(), store.begin() as session:
        link_customer(session, "acme", "cus_conc")
    ctx = HandlerContext(config=load_billing_config())

    def deliver(event: dict) -> str:
        raw = json.dumps(event)
        return ingest_event(store, StripeEvent.model_validate_json(raw), raw, ctx).status

    events = _events(6)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(deliver, events))
    # A copy arriving while its twin is mid-handling is acknowledged as a duplicate "received".
    assert set(statuses) <= {"processed", "received"} and "processed" in statuses
    with system_scope(), store() as session:
        stored = session.scalar(select(func.count()).select_from(BillingEventRow))
        states = set(session.scalars(select(BillingEventRow.status)).all())
    assert states == {"processed"}
    with system_scope(), store() as session:
        subs = session.scalars(select(BillingSubscriptionRow)).all()
    assert stored == len(events) // 2
    assert (
        sorted((s.status, s.stamp, s.customer_id) for s in subs)
        == [("past_due", 200, "cus_conc")] * 6
    )
    assert current_plan(store, "acme").id == "starter"  # past_due keeps the plan (grace)
