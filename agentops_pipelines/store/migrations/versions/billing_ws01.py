"""Billing: every row belongs to a workspace (issue #16); on PostgreSQL, row-level
security allows each transaction only its workspace's rows (store/row_security.py).

Tables that already named their workspace keep that `workspace` column.

Revision ID: billing_ws01
"""

from agentops_pipelines.store import row_security

revision = "billing_ws01"
down_revision = "billing_0002"
branch_labels = None
depends_on = None

OWNERS = {
    "billing_event": "workspace",
    "billing_customer": "workspace",
    "billing_subscription": "workspace",
    "billing_purchase": "workspace",
    "billing_entitlement": "workspace",
    "billing_invoice": "workspace",
    "billing_seat": "workspace",
}


def upgrade() -> None:
    for table, column in OWNERS.items():
        row_security.enable(table, column)


def downgrade() -> None:
    for table in OWNERS:
        row_security.disable(table)
