"""Workspaces <-> Stripe customers: one customer per workspace, created on first checkout.

Events name a customer, not a workspace; this table is how a webhook finds the workspace again.
"""

from __future__ import annotations

from datetime import UTC, datetime

import stripe
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.tables import BillingCustomerRow
from agentops_pipelines.store.acting_workspace import for_workspace_argument


def workspace_for_customer(session: Session, customer_id: str | None) -> str | None:
    if not customer_id:
        return None
    row = session.get(BillingCustomerRow, customer_id)
    return row.workspace if row else None


def customer_for_workspace(session: Session, workspace: str) -> str | None:
    query = select(BillingCustomerRow.customer_id).where(BillingCustomerRow.workspace == workspace)
    return session.scalars(query).first()


def link_customer(session: Session, workspace: str, customer_id: str) -> None:
    """Record the mapping if neither side is mapped yet (a first mapping is never overwritten)."""
    if session.get(BillingCustomerRow, customer_id) is not None:
        return
    if customer_for_workspace(session, workspace) is not None:
        return
    session.add(BillingCustomerRow(customer_id=customer_id, workspace=workspace, created_at=_now()))


@for_workspace_argument
def ensure_customer(
    session_factory: sessionmaker[Session], client: stripe.StripeClient, workspace: str
) -> str:
    """The workspace's customer id, creating the Stripe customer the first time.

    The idempotency key makes two racing first checkouts create one customer at Stripe; the
    unique workspace column makes them store one mapping here.
    """
    with session_factory() as session:
        existing = customer_for_workspace(session, workspace)
    if existing:
        return existing
    customer = client.v1.customers.create(
        params={"name": workspace, "metadata": {"workspace": workspace}},
        options={"idempotency_key": f"agentops-customer-{workspace}"},
    )
    try:
        with session_factory.begin() as session:
            link_customer(session, workspace, customer.id)
    except IntegrityError:
        pass
    with session_factory() as session:
        stored = customer_for_workspace(session, workspace)
    return stored or customer.id


def _now() -> datetime:
    return datetime.now(UTC)
