"""Apply one verified Stripe event to the billing tables (inside the caller's transaction).

Every handler is idempotent (replaying an event changes nothing) and order-safe (an older state
never overwrites a newer one, see `ordering.py`), so duplicates and out-of-order deliveries end in
the same state as the ordered stream.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from agentops_pipelines.billing.customers import link_customer, workspace_for_customer
from agentops_pipelines.billing.entitlements import TEMPLATE, refresh_plan_entitlements
from agentops_pipelines.billing.entitlements import set_entitlement as _set_entitlement
from agentops_pipelines.billing.limits import apply_plan_budget, plan_of_granted
from agentops_pipelines.billing.models import HandlerContext, Outcome, StripeEvent
from agentops_pipelines.billing.ordering import invoice_update_wins
from agentops_pipelines.billing.subscriptions import plan_of, upsert_subscription
from agentops_pipelines.billing.tables import (
    IGNORED,
    PROCESSED,
    UNMATCHED,
    BillingInvoiceRow,
    BillingPurchaseRow,
    BillingSubscriptionRow,
)

PAID = frozenset({"paid", "no_payment_required"})


def _unmatched(what: str) -> Outcome:
    return Outcome(
        status=UNMATCHED,
        detail=f"{what}: no workspace is linked to it; it was stored and can be replayed",
    )


def checkout_completed(session: Session, event: StripeEvent, ctx: HandlerContext) -> Outcome:
    obj = event.obj
    purchase = session.get(BillingPurchaseRow, obj["id"])
    metadata = obj.get("metadata") or {}
    workspace = (
        (purchase.workspace if purchase else None)
        or metadata.get("workspace")
        or obj.get("client_reference_id")
        or workspace_for_customer(session, obj.get("customer"))
    )
    if not workspace:
        return _unmatched(f"checkout session {obj['id']}")
    default_kind = "plan" if obj.get("mode") == "subscription" else TEMPLATE
    kind = purchase.kind if purchase else metadata.get("kind", default_kind)
    item = purchase.item if purchase else metadata.get("item")
    subscription_id = obj.get("subscription")
    # Fetch before writing: the network call must not hold SQLite's write lock.
    fetched = (
        ctx.fetch_subscription(subscription_id)
        if ctx.fetch_subscription and subscription_id
        else None
    )
    if obj.get("customer"):
        link_customer(session, workspace, obj["customer"])
    if purchase is None:
        purchase = BillingPurchaseRow(
            session_id=obj["id"],
            workspace=workspace,
            kind=kind,
            item=item or "",
            amount_cents=int(obj.get("amount_total") or 0),
            currency=obj.get("currency") or ctx.config.currency,
            status="open",
            created_at=datetime.now(UTC),
        )
        session.add(purchase)
    purchase.status, purchase.payment_status = "complete", obj.get("payment_status")
    purchase.customer_id = obj.get("customer") or purchase.customer_id
    purchase.subscription_id = subscription_id or purchase.subscription_id
    purchase.completed_at = purchase.completed_at or datetime.now(UTC)
    if obj.get("payment_status") not in PAID:
        return Outcome(status=PROCESSED, workspace=workspace, detail="payment pending: not granted")
    if kind == TEMPLATE and item:
        _set_entitlement(session, workspace, TEMPLATE, item, True, obj["id"])
        return Outcome(status=PROCESSED, workspace=workspace, detail=f"template {item} granted")
    if subscription_id:
        state = fetched or {
            "id": subscription_id,
            "status": "active",
            "customer": obj.get("customer"),
        }
        plan = plan_of(state, ctx.config) or item
        upsert_subscription(session, workspace, state, plan, event)
        _plans_changed(session, workspace, refresh_plan_entitlements(session, workspace), ctx)
    return Outcome(status=PROCESSED, workspace=workspace, detail=f"{kind} {item} complete")


def checkout_expired(session: Session, event: StripeEvent, ctx: HandlerContext) -> Outcome:
    purchase = session.get(BillingPurchaseRow, event.obj["id"])
    if purchase is None:
        return _unmatched(f"checkout session {event.obj['id']}")
    if purchase.status == "open":
        purchase.status = "expired"
    return Outcome(status=PROCESSED, workspace=purchase.workspace)


def subscription_changed(session: Session, event: StripeEvent, ctx: HandlerContext) -> Outcome:
    obj = dict(event.obj)
    if event.type == "customer.subscription.deleted":
        obj["status"] = "canceled"
    stored = session.get(BillingSubscriptionRow, obj["id"])
    workspace = (
        (obj.get("metadata") or {}).get("workspace")
        or (stored.workspace if stored else None)
        or workspace_for_customer(session, obj.get("customer"))
    )
    if not workspace:
        return _unmatched(f"subscription {obj['id']}")
    plan = plan_of(obj, ctx.config) or (stored.plan if stored else None)
    applied = upsert_subscription(session, workspace, obj, plan, event)
    plans = refresh_plan_entitlements(session, workspace)
    _plans_changed(session, workspace, plans, ctx)
    detail = f"status {obj['status']}" if applied else "older than the stored state: kept"
    return Outcome(status=PROCESSED, workspace=workspace, detail=f"{detail}; plans {sorted(plans)}")


def _plans_changed(session: Session, workspace: str, plans: set[str], ctx: HandlerContext) -> None:
    """With plan limits on, the workspace's LLM budget follows its (new) plan."""
    if ctx.enforce_limits:
        apply_plan_budget(session, workspace, plan_of_granted(plans, ctx.config), lower_only=False)


def _invoice_subscription(obj: dict[str, Any]) -> str | None:
    """Older API versions put it at the top level, newer ones under parent.subscription_details."""
    details = ((obj.get("parent") or {}).get("subscription_details")) or {}
    return obj.get("subscription") or details.get("subscription")


def invoice_changed(session: Session, event: StripeEvent, ctx: HandlerContext) -> Outcome:
    obj = event.obj
    if obj.get("object") != "invoice" or not obj.get("id"):
        return Outcome(status=IGNORED, detail=f"{event.type} without an invoice object")
    status = "paid" if event.type == "invoice.paid" else str(obj.get("status") or "open")
    sub_id = _invoice_subscription(obj)
    sub = session.get(BillingSubscriptionRow, sub_id) if sub_id else None
    workspace = workspace_for_customer(session, obj.get("customer")) or (
        sub.workspace if sub else None
    )
    row = session.get(BillingInvoiceRow, obj["id"])
    if row is None:
        row = BillingInvoiceRow(invoice_id=obj["id"], status=status, stamp=event.created)
        session.add(row)
    elif not invoice_update_wins((row.status, row.stamp), (status, event.created)):
        return Outcome(status=PROCESSED, workspace=workspace, detail="older than the stored state")
    row.workspace, row.customer_id, row.subscription_id = workspace, obj.get("customer"), sub_id
    row.status, row.stamp = status, event.created
    row.payment_failed = event.type == "invoice.payment_failed"
    row.amount_due, row.amount_paid = (
        int(obj.get("amount_due") or 0),
        int(obj.get("amount_paid") or 0),
    )
    row.currency, row.created = (
        obj.get("currency") or "usd",
        int(obj.get("created") or event.created),
    )
    row.hosted_invoice_url = obj.get("hosted_invoice_url")
    if not workspace:
        return _unmatched(f"invoice {obj['id']}")
    return Outcome(status=PROCESSED, workspace=workspace, detail=f"invoice {status}")


Handler = Callable[[Session, StripeEvent, HandlerContext], Outcome]
HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": checkout_completed,
    # Bank debits complete the session unpaid; this later event carries payment_status "paid".
    "checkout.session.async_payment_succeeded": checkout_completed,
    "checkout.session.expired": checkout_expired,
    "customer.subscription.created": subscription_changed,
    "customer.subscription.updated": subscription_changed,
    "customer.subscription.deleted": subscription_changed,
    "invoice.paid": invoice_changed,
    "invoice.payment_failed": invoice_changed,
}


def apply_event(session: Session, event: StripeEvent, ctx: HandlerContext) -> Outcome:
    handler = HANDLERS.get(event.type)
    if handler is None:
        return Outcome(status=IGNORED, detail=f"{event.type} is not used by billing")
    return handler(session, event, ctx)
