"""Marketplace downloads, forks and notifications belong to a workspace (issue #16); on
PostgreSQL, row-level security allows each transaction only its workspace's rows
(store/row_security.py).

Tables that already named their workspace keep that `workspace` column.

Revision ID: marketplace_ws01
"""

from agentops_pipelines.store import row_security

revision = "marketplace_ws01"
down_revision = "marketplace_0001"
branch_labels = None
depends_on = None

OWNERS = {
    "mp_download": "workspace",
    "mp_fork": "workspace",
    "mp_notification": "workspace",
}


def upgrade() -> None:
    for table, column in OWNERS.items():
        row_security.enable(table, column)


def downgrade() -> None:
    for table in OWNERS:
        row_security.disable(table)
