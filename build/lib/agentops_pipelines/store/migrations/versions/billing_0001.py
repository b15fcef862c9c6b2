"""Billing: verified Stripe events, customers, subscriptions, purchases, entitlements, invoices.

Revision ID: billing_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "billing_0001"
down_revision = "0001_base"
branch_labels = ("billing",)
depends_on = None

_STAMPED = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "billing_event",
        sa.Column("event_id", sa.String(100), primary_key=True),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("livemode", sa.Boolean, nullable=False),
        sa.Column("workspace", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("detail", sa.String(500), nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("received_at", _STAMPED, nullable=False),
        sa.Column("processed_at", _STAMPED, nullable=True),
    )
    op.create_index("ix_billing_event_workspace", "billing_event", ["workspace"])
    op.create_index("ix_billing_event_status", "billing_event", ["status"])
    op.create_table(
        "billing_customer",
        sa.Column("customer_id", sa.String(100), primary_key=True),
        sa.Column("workspace", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", _STAMPED, nullable=False),
    )
    op.create_table(
        "billing_subscription",
        sa.Column("subscription_id", sa.String(100), primary_key=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("customer_id", sa.String(100), nullable=True),
        sa.Column("plan", sa.String(50), nullable=True),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("current_period_end", sa.Integer, nullable=True),
        sa.Column("cancel_at_period_end", sa.Boolean, nullable=False),
        sa.Column("stamp", sa.Integer, nullable=False),
        sa.Column("source_event", sa.String(100), nullable=False),
        sa.Column("updated_at", _STAMPED, nullable=False),
    )
    op.create_index("ix_billing_subscription_workspace", "billing_subscription", ["workspace"])
    op.create_table(
        "billing_purchase",
        sa.Column("session_id", sa.String(200), primary_key=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("amount_cents", sa.Integer, nullable=False),
        sa.Column("currency", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("payment_status", sa.String(30), nullable=True),
        sa.Column("customer_id", sa.String(100), nullable=True),
        sa.Column("subscription_id", sa.String(100), nullable=True),
        sa.Column("created_at", _STAMPED, nullable=False),
        sa.Column("completed_at", _STAMPED, nullable=True),
    )
    op.create_index("ix_billing_purchase_workspace", "billing_purchase", ["workspace"])
    op.create_table(
        "billing_entitlement",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("granted_at", _STAMPED, nullable=False),
        sa.Column("revoked_at", _STAMPED, nullable=True),
        sa.UniqueConstraint("workspace", "kind", "key", name="uq_billing_entitlement"),
    )
    op.create_index("ix_billing_entitlement_workspace", "billing_entitlement", ["workspace"])
    op.create_table(
        "billing_invoice",
        sa.Column("invoice_id", sa.String(100), primary_key=True),
        sa.Column("workspace", sa.String(200), nullable=True),
        sa.Column("customer_id", sa.String(100), nullable=True),
        sa.Column("subscription_id", sa.String(100), nullable=True),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("payment_failed", sa.Boolean, nullable=False),
        sa.Column("amount_due", sa.Integer, nullable=False),
        sa.Column("amount_paid", sa.Integer, nullable=False),
        sa.Column("currency", sa.String(10), nullable=False),
        sa.Column("hosted_invoice_url", sa.String(500), nullable=True),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("stamp", sa.Integer, nullable=False),
    )
    op.create_index("ix_billing_invoice_workspace", "billing_invoice", ["workspace"])


def downgrade() -> None:
    for name in ("invoice", "entitlement", "purchase", "subscription"):
        op.drop_index(f"ix_billing_{name}_workspace", table_name=f"billing_{name}")
        op.drop_table(f"billing_{name}")
    op.drop_table("billing_customer")
    op.drop_index("ix_billing_event_status", table_name="billing_event")
    op.drop_index("ix_billing_event_workspace", table_name="billing_event")
    op.drop_table("billing_event")
