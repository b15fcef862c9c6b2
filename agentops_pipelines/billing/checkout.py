"""Checkout Session creation for a plan (subscription) or a paid template (one-off payment).

Every session we create is recorded as a purchase (status "open") before the URL is handed out,
so the webhook can tell which workspace bought what even if metadata were stripped. Nothing is
granted here: only a verified `checkout.session.completed` grants (see `handlers.py`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

import stripe
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.customers import ensure_customer
from agentops_pipelines.billing.plans import BillingConfig, Plan, load_billing_config
from agentops_pipelines.billing.tables import BillingPurchaseRow
from agentops_pipelines.store.acting_workspace import for_workspace_argument

PLAN: Literal["plan"] = "plan"
TEMPLATE: Literal["template"] = "template"


class CheckoutItem(BaseModel):
    kind: Literal["plan", "template"]
    item: str = Field(min_length=1, max_length=200)
    title: str
    amount_cents: int = Field(gt=0)
    interval: str | None = None
    price_id: str | None = None

    @classmethod
    def for_plan(cls, plan: Plan) -> CheckoutItem:
        if not plan.paid:
            raise ValueError(f"plan {plan.id!r} is free: there is nothing to check out")
        return cls(
            kind=PLAN,
            item=plan.id,
            title=f"AgentOps {plan.name}",
            amount_cents=plan.price_cents,
            interval=plan.interval or "month",
            price_id=plan.stripe_price_id(),
        )

    @classmethod
    def for_template(cls, template_id: str, title: str, price_cents: int) -> CheckoutItem:
        if price_cents <= 0:
            raise ValueError(f"template {template_id!r} is free: download it without checkout")
        return cls(kind=TEMPLATE, item=template_id, title=title, amount_cents=price_cents)


def _line_item(item: CheckoutItem, currency: str) -> dict[str, Any]:
    """A configured Price id when there is one, else the amount inline (no Dashboard setup)."""
    if item.price_id:
        return {"price": item.price_id, "quantity": 1}
    price_data: dict[str, Any] = {
        "currency": currency,
        "unit_amount": item.amount_cents,
        "product_data": {"name": item.title},
    }
    if item.kind == PLAN:
        price_data["recurring"] = {"interval": item.interval or "month"}
    return {"price_data": price_data, "quantity": 1}


def checkout_params(
    workspace: str, customer_id: str, item: CheckoutItem, currency: str, success: str, cancel: str
) -> dict[str, Any]:
    metadata = {"workspace": workspace, "kind": item.kind, "item": item.item}
    params: dict[str, Any] = {
        "mode": "subscription" if item.kind == PLAN else "payment",
        "customer": customer_id,
        "client_reference_id": workspace,
        "line_items": [_line_item(item, currency)],
        "metadata": metadata,
        "success_url": success,
        "cancel_url": cancel,
    }
    if item.kind == PLAN:
        # Subscription events carry this metadata, so they map to a plan without a lookup.
        params["subscription_data"] = {"metadata": {"workspace": workspace, "plan": item.item}}
    return params


@for_workspace_argument
def start_checkout(
    session_factory: sessionmaker[Session],
    client: stripe.StripeClient,
    workspace: str,
    item: CheckoutItem,
    success_url: str,
    cancel_url: str,
    config: BillingConfig | None = None,
) -> str:
    """Create a Checkout Session for `item` and return its URL (redirect the user there)."""
    if not workspace.strip():
        raise ValueError("workspace is empty: pass the workspace that is buying")
    config = config or load_billing_config()
    customer_id = ensure_customer(session_factory, client, workspace)
    params = checkout_params(workspace, customer_id, item, config.currency, success_url, cancel_url)
    session = client.v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]
    if not session.url:
        raise RuntimeError(
            f"Stripe returned Checkout Session {session.id} without a url; check that the "
            "session mode is hosted (ui_mode unset)"
        )
    with session_factory.begin() as db:
        db.add(
            BillingPurchaseRow(
                session_id=session.id,
                workspace=workspace,
                kind=item.kind,
                item=item.item,
                amount_cents=item.amount_cents,
                currency=config.currency,
                status="open",
                customer_id=customer_id,
                created_at=datetime.now(UTC),
            )
        )
    return session.url


@for_workspace_argument
def start_plan_checkout(
    session_factory: sessionmaker[Session],
    client: stripe.StripeClient,
    workspace: str,
    plan_id: str,
    success_url: str,
    cancel_url: str,
) -> str:
    config = load_billing_config()
    item = CheckoutItem.for_plan(config.plan(plan_id))
    return start_checkout(session_factory, client, workspace, item, success_url, cancel_url, config)
