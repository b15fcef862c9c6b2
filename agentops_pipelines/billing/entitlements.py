"""What a workspace may use: its plan's limits and the paid templates it bought.

Entitlements are rows written only by verified webhook events (`handlers.py`); this module reads
them for the marketplace download path and the plan limits, and holds the grant/revoke writes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.ordering import SUBSCRIPTION_GRANTING
from agentops_pipelines.billing.plans import (
    LIMIT_NAMES,
    BillingConfig,
    Plan,
    PlanLimits,
    load_billing_config,
)
from agentops_pipelines.billing.tables import BillingEntitlementRow, BillingSubscriptionRow
from agentops_pipelines.store.acting_workspace import for_workspace_argument

PLAN = "plan"
TEMPLATE = "template"


class PlanLimitExceeded(Exception):
    """Raised by `ensure_within_limit`; the message says which limit and how to lift it."""


class LimitCheck(BaseModel):
    allowed: bool
    limit_name: str
    limit: float
    used: float
    plan: str
    message: str


@for_workspace_argument
def can_download(session_factory: sessionmaker[Session], workspace: str, template_id: str) -> bool:
    """True when `workspace` holds an active entitlement for the paid template `template_id`.

    Only a verified, paid `checkout.session.completed` grants one. Free templates need no
    entitlement: the caller checks the price before asking.
    """
    with session_factory() as session:
        row = _entitlement(session, workspace, TEMPLATE, template_id)
        return bool(row and row.active)


@for_workspace_argument
def current_plan(
    session_factory: sessionmaker[Session], workspace: str, config: BillingConfig | None = None
) -> Plan:
    """The dearest plan the workspace is entitled to, else the default (free) plan."""
    config = config or load_billing_config()
    with session_factory() as session:
        keys = session.scalars(
            select(BillingEntitlementRow.key).where(
                BillingEntitlementRow.workspace == workspace,
                BillingEntitlementRow.kind == PLAN,
                BillingEntitlementRow.active.is_(True),
            )
        ).all()
    plans = [p for p in config.plans if p.id in set(keys)]
    return max(plans, key=lambda p: p.price_cents, default=config.free)


def plan_limits(
    session_factory: sessionmaker[Session], workspace: str, config: BillingConfig | None = None
) -> PlanLimits:
    return current_plan(session_factory, workspace, config).limits


@for_workspace_argument
def check_limit(
    session_factory: sessionmaker[Session],
    workspace: str,
    limit_name: str,
    used: float,
    config: BillingConfig | None = None,
) -> LimitCheck:
    """Whether one more unit fits: `used` is the count or spend before the new one."""
    if limit_name not in LIMIT_NAMES:
        raise ValueError(f"limit {limit_name!r} is unknown; use one of {', '.join(LIMIT_NAMES)}")
    plan = current_plan(session_factory, workspace, config)
    limit = float(getattr(plan.limits, limit_name))
    allowed = used < limit
    message = (
        f"{limit_name}: {used:g} of {limit:g} used on the {plan.name} plan"
        if allowed
        else f"workspace {workspace!r} reached its {limit_name} limit ({limit:g}) on the "
        f"{plan.name} plan; upgrade on the Billing page to raise it"
    )
    return LimitCheck(
        allowed=allowed,
        limit_name=limit_name,
        limit=limit,
        used=used,
        plan=plan.id,
        message=message,
    )


@for_workspace_argument
def ensure_within_limit(
    session_factory: sessionmaker[Session], workspace: str, limit_name: str, used: float
) -> None:
    check = check_limit(session_factory, workspace, limit_name, used)
    if not check.allowed:
        raise PlanLimitExceeded(check.message)


def _entitlement(
    session: Session, workspace: str, kind: str, key: str
) -> BillingEntitlementRow | None:
    return session.scalars(
        select(BillingEntitlementRow).where(
            BillingEntitlementRow.workspace == workspace,
            BillingEntitlementRow.kind == kind,
            BillingEntitlementRow.key == key,
        )
    ).first()


def set_entitlement(
    session: Session, workspace: str, kind: str, key: str, active: bool, source: str
) -> None:
    now = datetime.now(UTC)
    row = _entitlement(session, workspace, kind, key)
    if row is None:
        if active:
            session.add(
                BillingEntitlementRow(
                    workspace=workspace,
                    kind=kind,
                    key=key,
                    active=True,
                    source=source,
                    granted_at=now,
                )
            )
        return
    if row.active == active:
        return
    row.active, row.source = active, source
    if active:
        row.granted_at, row.revoked_at = now, None
    else:
        row.revoked_at = now


def refresh_plan_entitlements(session: Session, workspace: str) -> set[str]:
    """Plan entitlements follow the workspace's subscriptions; returns the plans now granted."""
    session.flush()
    granting = session.execute(
        select(BillingSubscriptionRow.plan, BillingSubscriptionRow.subscription_id).where(
            BillingSubscriptionRow.workspace == workspace,
            BillingSubscriptionRow.status.in_(SUBSCRIPTION_GRANTING),
            BillingSubscriptionRow.plan.is_not(None),
        )
    ).all()
    granted = {plan: sub_id for plan, sub_id in granting}
    existing = session.scalars(
        select(BillingEntitlementRow).where(
            BillingEntitlementRow.workspace == workspace, BillingEntitlementRow.kind == PLAN
        )
    ).all()
    for row in existing:
        if row.key not in granted:
            set_entitlement(session, workspace, PLAN, row.key, False, row.source)
    for plan_id, source in granted.items():
        set_entitlement(session, workspace, PLAN, plan_id, True, source)
    return set(granted)
