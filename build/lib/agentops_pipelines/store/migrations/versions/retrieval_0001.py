"""Retrieval: one row per search (latency, result count) for KPI reports.

Revision ID: retrieval_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "retrieval_0001"
down_revision = "0001_base"
branch_labels = ("retrieval",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retrieval_queries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("backend", sa.String(40), nullable=False),
        sa.Column("filters", sa.Text, nullable=False),
        sa.Column("top_k", sa.Integer, nullable=False),
        sa.Column("result_count", sa.Integer, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("retrieval_queries")
