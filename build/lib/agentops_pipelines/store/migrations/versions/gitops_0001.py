"""Git integration hub: the durable webhook inbox.

Revision ID: gitops_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "gitops_0001"
down_revision = "0001_base"
branch_labels = ("gitops",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_inbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("delivery_id", sa.String(100), nullable=False, unique=True),
        sa.Column("event", sa.String(100), nullable=False),
        sa.Column("action", sa.String(100), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_webhook_inbox_status", "webhook_inbox", ["status"])


def downgrade() -> None:
    op.drop_index("ix_webhook_inbox_status", table_name="webhook_inbox")
    op.drop_table("webhook_inbox")
