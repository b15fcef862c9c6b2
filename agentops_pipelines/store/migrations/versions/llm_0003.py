"""LLM router: reservation leases, so a caller that dies mid-call cannot hold budget for good.

Revision ID: llm_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "llm_0003"
down_revision = "llm_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "llm_reservation",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("micros", sa.Integer, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.Column("holder", sa.String(200), nullable=False),
    )
    op.create_index("ix_llm_reservation_expires_at", "llm_reservation", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_llm_reservation_expires_at", table_name="llm_reservation")
    op.drop_table("llm_reservation")
