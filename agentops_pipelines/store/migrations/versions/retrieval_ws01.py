"""Search log: every row belongs to a workspace (issue #16); on PostgreSQL, row-level
security allows each transaction only its workspace's rows (store/row_security.py).

`retrieval_queries` gains `workspace_id`; existing rows move to `default`.

Revision ID: retrieval_ws01
"""

import sqlalchemy as sa
from alembic import op

from agentops_pipelines.store import row_security

revision = "retrieval_ws01"
down_revision = "retrieval_0001"
branch_labels = None
depends_on = None

OWNERS = {
    "retrieval_queries": "workspace_id",
}
NEW_COLUMN = ("retrieval_queries",)


def upgrade() -> None:
    for table in NEW_COLUMN:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("workspace_id", sa.String(200), nullable=False, server_default="default")
            )
        op.create_index(f"ix_{table}_workspace_id", table, ["workspace_id"])
    for table, column in OWNERS.items():
        row_security.enable(table, column)


def downgrade() -> None:
    for table in OWNERS:
        row_security.disable(table)
    for table in NEW_COLUMN:
        op.drop_index(f"ix_{table}_workspace_id", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("workspace_id")
