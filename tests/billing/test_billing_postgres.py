"""The billing tables, migrations and order-safe handling on a real PostgreSQL (same code)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from billing_events import make_event
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.customers import link_customer
from agentops_pipelines.billing.entitlements import can_download, current_plan
from agentops_pipelines.billing.models import HandlerContext, StripeEvent
from agentops_pipelines.billing.plans import load_billing_config
from agentops_pipelines.billing.tables import BillingPurchaseRow
from agentops_pipelines.billing.webhook import ingest_event
from agentops_pipelines.store.acting_workspace import system_scope
from agentops_pipelines.store.db import open_store

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[sessionmaker[Session]]:
    sf = open_store(pg_url)
    yield sf
    sf.kw["bind"].dispose()


def _ingest(sf: sessionmaker[Session], event: dict) -> str:
    raw = json.dumps(event)
    ctx = HandlerContext(config=load_billing_config())
    return ingest_event(sf, StripeEvent.model_validate_json(raw), raw, ctx).status


def test_billing_lifecycle_on_postgres(pg_store: sessionmaker[Session]) -> None:
    with system_scope(), pg_store.begin() as session:
        link_customer(session, "acme", "cus_pg")
    sub = {"id": "sub_pg", "object": "subscription", "customer": "cus_pg", "status": "active"}
    sub["metadata"] = {"workspace": "acme", "plan": "team"}
    deleted = make_event(
        "customer.subscription.deleted", dict(sub, status="canceled"), created=300, event_id="e2"
    )
    created = make_event("customer.subscription.created", sub, created=100, event_id="e1")
    assert _ingest(pg_store, created) == "processed"
    assert current_plan(pg_store, "acme").id == "team"
    assert _ingest(pg_store, deleted) == "processed"
    assert _ingest(pg_store, dict(created, id="e1-late")) == "processed"
    assert _ingest(pg_store, deleted) == "processed"  # duplicate: status of the stored row
    assert current_plan(pg_store, "acme").id == "free"

    with system_scope(), pg_store.begin() as session:
        session.add(
            BillingPurchaseRow(
                session_id="cs_pg",
                workspace="acme",
                kind="template",
                item="nfr-pack",
                amount_cents=1900,
                currency="usd",
                status="open",
                created_at=datetime.now(UTC),
            )
        )
    session_obj = {"id": "cs_pg", "object": "checkout.session", "mode": "payment"}
    session_obj |= {"payment_status": "paid", "customer": "cus_pg", "metadata": {}}
    completed = make_event("checkout.session.completed", session_obj, created=400, event_id="e3")
    assert _ingest(pg_store, completed) == "processed"
    assert can_download(pg_store, "acme", "nfr-pack") is True
