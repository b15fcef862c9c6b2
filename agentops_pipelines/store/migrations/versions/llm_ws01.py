"""Router ledger and review queue belong to a workspace (issue #16); on PostgreSQL,
row-level security allows each transaction only its workspace's rows (store/row_security.py).

Tables that already named their workspace keep that `workspace` column.

Revision ID: llm_ws01
"""

from agentops_pipelines.store import row_security

revision = "llm_ws01"
down_revision = "llm_0003"
branch_labels = None
depends_on = None

OWNERS = {
    "llm_ledger": "workspace",
    "llm_review_queue": "workspace",
}


def upgrade() -> None:
    for table, column in OWNERS.items():
        row_security.enable(table, column)


def downgrade() -> None:
    for table in OWNERS:
        row_security.disable(table)
