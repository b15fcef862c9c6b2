"""LLM router: shared circuit-breaker state; reviewer actions on the human review queue.

Revision ID: llm_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "llm_0002"
down_revision = "llm_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "llm_breaker",
        sa.Column("provider", sa.String(100), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("window_requests", sa.Integer, nullable=False),
        sa.Column("window_failures", sa.Integer, nullable=False),
        sa.Column("opened_at", sa.Float, nullable=True),
        sa.Column("since", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("generation", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("llm_review_queue") as batch:
        batch.add_column(sa.Column("answer", sa.Text, nullable=True))
        batch.add_column(sa.Column("resolution_note", sa.Text, nullable=True))
        batch.add_column(sa.Column("resolved_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("llm_review_queue") as batch:
        for column in ("resolved_at", "resolved_by", "resolution_note", "answer"):
            batch.drop_column(column)
    op.drop_table("llm_breaker")
