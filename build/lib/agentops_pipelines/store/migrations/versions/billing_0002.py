"""Billing: seats, one row per user holding a seat in a workspace.

Revision ID: billing_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "billing_0002"
down_revision = "billing_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "billing_seat",
        sa.Column("workspace", sa.String(200), primary_key=True),
        sa.Column("user", sa.String(200), primary_key=True),
        sa.Column("slot", sa.Integer, nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace", "slot", name="uq_billing_seat_slot"),
    )


def downgrade() -> None:
    op.drop_table("billing_seat")
