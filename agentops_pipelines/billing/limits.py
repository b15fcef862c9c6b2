"""Plan limits applied where the product grows: specs admitted as partitions, seats taken by
users, and the workspace's LLM budget in the router's budget book.

Enforced only when `AGENTOPS_PLAN_LIMITS=on` (a hosted deployment with Stripe); a self-hosted
install runs without limits. The limits come from the workspace's plan (`entitlements.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.entitlements import PlanLimitExceeded, current_plan
from agentops_pipelines.billing.plans import BillingConfig, Plan, load_billing_config
from agentops_pipelines.billing.tables import BillingSeatRow
from agentops_pipelines.llm.budget import upsert_limit
from agentops_pipelines.store.acting_workspace import for_workspace_argument

WORKSPACE_SCOPE = "workspace"  # the router's budget scope for a workspace
# Each lost race for a slot means another user took it; more attempts than seats is a bug.
_SEAT_ATTEMPTS = 5


class SpecAdmission(BaseModel):
    admitted: list[str]
    refused: list[str]
    message: str | None = None


@for_workspace_argument
def admit_specs(
    session_factory: sessionmaker[Session],
    workspace: str,
    kept: int,
    new: list[str],
    config: BillingConfig | None = None,
) -> SpecAdmission:
    """Admit new specs in order while the workspace stays within its plan's spec count.

    `kept` is the number of specs that stay (existing partitions minus those being removed).
    """
    plan = current_plan(session_factory, workspace, config)
    room = max(0, plan.limits.specs - kept)
    admitted, refused = list(new[:room]), list(new[room:])
    message = None
    if refused:
        message = (
            f"workspace {workspace!r} holds {kept + len(admitted)} of the {plan.limits.specs} "
            f"specs of the {plan.name} plan; not ingested: {', '.join(refused)}. Upgrade on the "
            "Billing page or remove specs to ingest them"
        )
    return SpecAdmission(admitted=admitted, refused=refused, message=message)


@for_workspace_argument
def claim_seat(
    session_factory: sessionmaker[Session],
    workspace: str,
    user: str,
    config: BillingConfig | None = None,
) -> int:
    """The user's seat number, taking a free seat on first use; PlanLimitExceeded when full.

    Concurrent first uses race for the same slot number; the unique (workspace, slot) key lets
    only one win, and the loser counts again.
    """
    with session_factory() as session:  # the common case: a holder, one read
        held = session.get(BillingSeatRow, (workspace, user))
        if held is not None:
            return held.slot
    plan = current_plan(session_factory, workspace, config)
    for _ in range(_SEAT_ATTEMPTS):
        try:
            with session_factory.begin() as session:
                return _claim(session, workspace, user, plan)
        except IntegrityError:
            continue
    raise RuntimeError(f"could not settle a seat for {user!r} in {workspace!r}; retry")


def _claim(session: Session, workspace: str, user: str, plan: Plan) -> int:
    held = session.get(BillingSeatRow, (workspace, user))
    if held is not None:
        return held.slot
    taken = session.scalars(
        select(BillingSeatRow.slot).where(BillingSeatRow.workspace == workspace)
    ).all()
    free = sorted(set(range(1, plan.limits.seats + 1)) - set(taken))
    if not free:
        raise PlanLimitExceeded(
            f"workspace {workspace!r} uses all {plan.limits.seats} seats of the {plan.name} "
            f"plan; {user!r} has no seat. Upgrade on the Billing page or release a seat"
        )
    row = BillingSeatRow(workspace=workspace, user=user, slot=free[0], claimed_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    return row.slot


@for_workspace_argument
def release_seat(session_factory: sessionmaker[Session], workspace: str, user: str) -> bool:
    with session_factory.begin() as session:
        row = session.get(BillingSeatRow, (workspace, user))
        if row is None:
            return False
        session.delete(row)
        return True


def apply_plan_budget(session: Session, workspace: str, plan: Plan, lower_only: bool) -> float:
    """Set the workspace's LLM budget to the plan's; the router reserves against it per call.

    `lower_only` keeps a lower cap an admin set (used at start-up); a plan change sets the
    plan's amount. Returns the limit in force, in USD.
    """
    limit = round(plan.limits.llm_budget_usd * 1_000_000)
    conn = session.connection()
    return upsert_limit(conn, WORKSPACE_SCOPE, workspace, limit, lower_only) / 1_000_000


@for_workspace_argument
def ensure_plan_budget(
    session_factory: sessionmaker[Session], workspace: str, config: BillingConfig | None = None
) -> float:
    """At start-up: the workspace's LLM budget exists and is no higher than its plan allows."""
    plan = current_plan(session_factory, workspace, config)
    try:
        with session_factory.begin() as session:
            return apply_plan_budget(session, workspace, plan, lower_only=True)
    except IntegrityError:  # another process created the row first: cap that one
        with session_factory.begin() as session:
            return apply_plan_budget(session, workspace, plan, lower_only=True)


def plan_of_granted(granted: set[str], config: BillingConfig | None = None) -> Plan:
    config = config or load_billing_config()
    plans = [p for p in config.plans if p.id in granted]
    return max(plans, key=lambda p: p.price_cents, default=config.free)


def spec_admission(
    existing: set[str],
    add: list[str],
    delete: list[str],
    *,
    plan_limits: bool,
    sessions: Callable[[], sessionmaker[Session]],
    workspace: str,
) -> SpecAdmission | None:
    """The plan's spec limit at the door, for the polling and push sensors: None when limits are
    off or nothing is new, else which of `add` fit the plan. A refused spec gets no partition and
    no run; the polling sensor picks it up once the plan has room."""
    if not plan_limits or not add:
        return None
    kept = len(existing - set(delete))
    return admit_specs(sessions(), workspace, kept, add)
