"""Connect: pending OAuth flows (state hash -> PKCE verifier) and GitHub App installations.

Revision ID: connect_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "connect_0001"
down_revision = "0001_base"
branch_labels = ("connect",)
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "connect_oauth_flow",
        sa.Column("state_hash", sa.String(64), primary_key=True),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("actor", sa.String(320), nullable=True),
        sa.Column("verifier", sa.String(128), nullable=False),
        sa.Column("installation_id", sa.BigInteger, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_table(
        "connect_github_installation",
        sa.Column("workspace", sa.String(200), primary_key=True),
        sa.Column("installation_id", sa.BigInteger, nullable=False),
        sa.Column("account", sa.String(200), nullable=False),
        sa.Column("connected_by", sa.String(320), nullable=False),
        sa.Column("connected_at", _TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("connect_github_installation")
    op.drop_table("connect_oauth_flow")
