"""A read-only summary of one workspace's billing, for the Billing page and the API."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.customers import customer_for_workspace
from agentops_pipelines.billing.entitlements import current_plan
from agentops_pipelines.billing.plans import BillingConfig, Plan, load_billing_config
from agentops_pipelines.billing.tables import (
    BillingEntitlementRow,
    BillingEventRow,
    BillingInvoiceRow,
    BillingSeatRow,
    BillingSubscriptionRow,
)
from agentops_pipelines.store.acting_workspace import for_workspace_argument


class BillingOverview(BaseModel):
    workspace: str
    plan: Plan
    customer_id: str | None
    subscriptions: list[dict]
    entitlements: list[dict]
    invoices: list[dict]
    events: list[dict]
    seats: list[str] = []


@for_workspace_argument
def billing_overview(
    session_factory: sessionmaker[Session],
    workspace: str,
    config: BillingConfig | None = None,
    event_limit: int = 50,
) -> BillingOverview:
    config = config or load_billing_config()
    plan = current_plan(session_factory, workspace, config)
    with session_factory() as session:
        customer = customer_for_workspace(session, workspace)
        subs = session.scalars(
            select(BillingSubscriptionRow)
            .where(BillingSubscriptionRow.workspace == workspace)
            .order_by(BillingSubscriptionRow.stamp.desc())
        ).all()
        ents = session.scalars(
            select(BillingEntitlementRow)
            .where(BillingEntitlementRow.workspace == workspace)
            .order_by(BillingEntitlementRow.kind, BillingEntitlementRow.key)
        ).all()
        invoice_filter = BillingInvoiceRow.workspace == workspace
        if customer:
            invoice_filter = or_(invoice_filter, BillingInvoiceRow.customer_id == customer)
        invoices = session.scalars(
            select(BillingInvoiceRow)
            .where(invoice_filter)
            .order_by(BillingInvoiceRow.created.desc())
        ).all()
        events = session.scalars(
            select(BillingEventRow)
            .where(BillingEventRow.workspace == workspace)
            .order_by(BillingEventRow.created.desc())
            .limit(event_limit)
        ).all()
        seats = session.scalars(
            select(BillingSeatRow.user)
            .where(BillingSeatRow.workspace == workspace)
            .order_by(BillingSeatRow.slot)
        ).all()
    return BillingOverview(
        workspace=workspace,
        plan=plan,
        customer_id=customer,
        subscriptions=[
            {
                "subscription": s.subscription_id,
                "plan": s.plan or "(unknown price)",
                "status": s.status,
                "renews_or_ends": s.current_period_end,
                "cancel_at_period_end": s.cancel_at_period_end,
            }
            for s in subs
        ],
        entitlements=[
            {"kind": e.kind, "key": e.key, "active": e.active, "source": e.source} for e in ents
        ],
        invoices=[
            {
                "invoice": i.invoice_id,
                "status": i.status,
                "payment_failed": i.payment_failed,
                "amount_due": i.amount_due / 100,
                "amount_paid": i.amount_paid / 100,
                "currency": i.currency,
                "created": i.created,
            }
            for i in invoices
        ],
        events=[
            {"event": e.event_id, "type": e.type, "created": e.created, "status": e.status}
            for e in events
        ],
        seats=list(seats),
    )
