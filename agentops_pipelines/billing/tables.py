"""App-store tables of billing (Alembic branch `billing`).

`stamp` columns hold the Stripe `created` time (unix seconds) of the event that last wrote a row:
deliveries arrive out of order, and a row only moves forward in that time (see `ordering.py`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agentops_pipelines.store.db import Base
from agentops_pipelines.store.scoping import WorkspaceKeyed

# Event processing states.
RECEIVED = "received"
PROCESSED = "processed"
IGNORED = "ignored"
UNMATCHED = "unmatched"
FAILED = "failed"


class BillingEventRow(WorkspaceKeyed, Base):
    """Every verified delivery, keyed by Stripe's event id: a redelivery is recognised here."""

    __tablename__ = "billing_event"
    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    created: Mapped[int] = mapped_column(Integer)
    livemode: Mapped[bool] = mapped_column(Boolean)
    workspace: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)  # type: ignore[assignment]
    status: Mapped[str] = mapped_column(String(20), index=True)
    detail: Mapped[str | None] = mapped_column(String(500), nullable=True)
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class BillingCustomerRow(WorkspaceKeyed, Base):
    """One Stripe customer per workspace; the webhook maps events back through this table."""

    __tablename__ = "billing_customer"
    customer_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BillingSubscriptionRow(WorkspaceKeyed, Base):
    __tablename__ = "billing_subscription"
    subscription_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(200), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    plan: Mapped[str | None] = mapped_column(String(50), nullable=True)
    status: Mapped[str] = mapped_column(String(30))
    current_period_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False)
    stamp: Mapped[int] = mapped_column(Integer)
    source_event: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BillingPurchaseRow(WorkspaceKeyed, Base):
    """A Checkout Session we created: what it sells to which workspace, and how it ended."""

    __tablename__ = "billing_purchase"
    session_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "plan" or "template"
    item: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))  # open, complete, expired
    payment_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    customer_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    subscription_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class BillingEntitlementRow(WorkspaceKeyed, Base):
    """What a workspace may use: a plan (kind "plan") or one paid template (kind "template")."""

    __tablename__ = "billing_entitlement"
    __table_args__ = (UniqueConstraint("workspace", "kind", "key", name="uq_billing_entitlement"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class BillingInvoiceRow(WorkspaceKeyed, Base):
    __tablename__ = "billing_invoice"
    invoice_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    workspace: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)  # type: ignore[assignment]
    customer_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    subscription_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    status: Mapped[str] = mapped_column(String(30))
    payment_failed: Mapped[bool] = mapped_column(Boolean, default=False)
    amount_due: Mapped[int] = mapped_column(Integer)
    amount_paid: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(10))
    hosted_invoice_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created: Mapped[int] = mapped_column(Integer)
    stamp: Mapped[int] = mapped_column(Integer)


class BillingSeatRow(WorkspaceKeyed, Base):
    """A user holding one of the workspace's seats. `slot` numbers the seats 1..n; the unique
    (workspace, slot) pair makes two concurrent claims of the last free seat collide."""

    __tablename__ = "billing_seat"
    __table_args__ = (UniqueConstraint("workspace", "slot", name="uq_billing_seat_slot"),)
    workspace: Mapped[str] = mapped_column(String(200), primary_key=True)
    user: Mapped[str] = mapped_column(String(200), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
