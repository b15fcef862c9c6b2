"""SpecGPT: every row belongs to a workspace (issue #16); on PostgreSQL, row-level
security allows each transaction only its workspace's rows (store/row_security.py).

Tables that already named their workspace keep that `workspace` column.
`assistant_decision` gains `workspace_id`, taken from its suggestion.

Revision ID: assistant_ws01
"""

import sqlalchemy as sa
from alembic import op

from agentops_pipelines.store import row_security

revision = "assistant_ws01"
down_revision = "assistant_0001"
branch_labels = None
depends_on = None

OWNERS = {
    "assistant_suggestion": "workspace",
    "assistant_usage": "workspace",
    "assistant_decision": "workspace_id",
}
NEW_COLUMN = ("assistant_decision",)


def upgrade() -> None:
    for table in NEW_COLUMN:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("workspace_id", sa.String(200), nullable=False, server_default="default")
            )
        op.create_index(f"ix_{table}_workspace_id", table, ["workspace_id"])
    op.execute(
        "UPDATE assistant_decision SET workspace_id = (SELECT s.workspace FROM "
        "assistant_suggestion s WHERE s.id = assistant_decision.suggestion_id) WHERE EXISTS "
        "(SELECT 1 FROM assistant_suggestion s WHERE s.id = assistant_decision.suggestion_id)"
    )
    for table, column in OWNERS.items():
        row_security.enable(table, column)


def downgrade() -> None:
    for table in OWNERS:
        row_security.disable(table)
    for table in NEW_COLUMN:
        op.drop_index(f"ix_{table}_workspace_id", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("workspace_id")
