"""Auth: workspace members, API tokens (hashes only); the audit log learns workspace and
credential and becomes append-only (UPDATE and DELETE refused by triggers).

Revision ID: auth_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "auth_0001"
down_revision = "0001_base"
branch_labels = ("auth",)
depends_on = None

_TS = sa.DateTime(timezone=True)
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "auth_member",
        sa.Column("workspace", sa.String(200), primary_key=True),
        sa.Column("subject", sa.String(320), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("added_by", sa.String(320), nullable=False),
        sa.Column("added_at", _TS, nullable=False),
    )
    op.create_table(
        "auth_token",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False, index=True),
        sa.Column("subject", sa.String(320), nullable=False),
        sa.Column("role", sa.String(20), nullable=True),
        sa.Column("scopes", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
        sa.Column("last_used_at", _TS, nullable=True),
    )
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(
            sa.Column("workspace", sa.String(200), nullable=False, server_default="default")
        )
        batch.add_column(sa.Column("via", sa.String(200), nullable=False, server_default=""))
    op.create_index("ix_audit_log_workspace_at", "audit_log", ["workspace", "at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {verb} refused'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.drop_index("ix_audit_log_workspace_at", "audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("via")
        batch.drop_column("workspace")
    op.drop_table("auth_token")
    op.drop_table("auth_member")
