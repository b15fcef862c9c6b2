"""Subscription rows: which plan a Stripe subscription is, and the order-safe upsert."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from agentops_pipelines.billing.models import StripeEvent
from agentops_pipelines.billing.ordering import subscription_update_wins
from agentops_pipelines.billing.plans import BillingConfig
from agentops_pipelines.billing.tables import BillingSubscriptionRow


def _price_ids(obj: dict[str, Any]) -> list[str]:
    """Price ids of the items (current API) and of the legacy top-level plan/price fields."""
    ids = []
    for item in (obj.get("items") or {}).get("data") or []:
        price = item.get("price") or item.get("plan") or {}
        if isinstance(price, dict) and price.get("id"):
            ids.append(price["id"])
    for key in ("price", "plan"):
        legacy = obj.get(key)
        if isinstance(legacy, dict) and legacy.get("id"):
            ids.append(legacy["id"])
    return ids


def plan_of(obj: dict[str, Any], config: BillingConfig) -> str | None:
    """Our metadata first (set at checkout), then a configured Price id; None if unknown."""
    plan = (obj.get("metadata") or {}).get("plan")
    known = {p.id for p in config.plans}
    if plan in known:
        return str(plan)
    by_price = {p.stripe_price_id(): p.id for p in config.paid_plans if p.stripe_price_id()}
    for price_id in _price_ids(obj):
        if price_id in by_price:
            return by_price[price_id]
    return None


def _period_end(obj: dict[str, Any]) -> int | None:
    """Newer API versions moved current_period_end from the subscription onto its items."""
    if obj.get("current_period_end"):
        return int(obj["current_period_end"])
    items = (obj.get("items") or {}).get("data") or []
    ends = [int(i["current_period_end"]) for i in items if i.get("current_period_end")]
    return max(ends, default=None)


def upsert_subscription(
    session: Session, workspace: str, obj: dict[str, Any], plan: str | None, event: StripeEvent
) -> bool:
    """Write the subscription state unless the stored one is newer; True if written."""
    status = str(obj.get("status") or "incomplete")
    row = session.get(BillingSubscriptionRow, obj["id"])
    if row is not None and not subscription_update_wins(
        (row.status, row.stamp), (status, event.created)
    ):
        if plan and not row.plan:
            row.plan = plan
        return False
    if row is None:
        row = BillingSubscriptionRow(subscription_id=obj["id"], workspace=workspace)
        session.add(row)
    row.customer_id = obj.get("customer") or row.customer_id
    row.plan = plan or row.plan
    row.status, row.stamp, row.source_event = status, event.created, event.id
    row.current_period_end = _period_end(obj) or row.current_period_end
    row.cancel_at_period_end = bool(obj.get("cancel_at_period_end"))
    row.updated_at = datetime.now(UTC)
    return True
