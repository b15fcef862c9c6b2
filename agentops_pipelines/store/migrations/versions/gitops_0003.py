"""Git hub: repo links and proposals belong to a workspace (existing rows move to `default`);
on PostgreSQL, row-level security allows each transaction only its workspace's rows.

Revision ID: gitops_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "gitops_0003"
down_revision = "gitops_0002"
branch_labels = None
depends_on = None

TABLES = ("gitops_repo_links", "gitops_proposals")
_POLICY = "current_setting('agentops.workspace', true)"


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("workspace_id", sa.String(200), nullable=False, server_default="default")
            )
        op.create_index(f"ix_{table}_workspace_id", table, ["workspace_id"])
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(
                f"CREATE POLICY workspace_isolation ON {table} "
                f"USING (workspace_id = {_POLICY}) WITH CHECK (workspace_id = {_POLICY})"
            )


def downgrade() -> None:
    for table in TABLES:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP POLICY IF EXISTS workspace_isolation ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.drop_index(f"ix_{table}_workspace_id", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("workspace_id")
