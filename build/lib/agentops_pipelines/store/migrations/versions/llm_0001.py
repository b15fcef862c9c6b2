"""LLM router: ledger, response cache, budgets, human review queue.

Revision ID: llm_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "llm_0001"
down_revision = "0001_base"
branch_labels = ("llm",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "llm_ledger",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False, index=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("spec", sa.String(500), nullable=True),
        sa.Column("run_id", sa.String(100), nullable=True, index=True),
        sa.Column("task_type", sa.String(40), nullable=False),
        sa.Column("provider", sa.String(100), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("tokens_in", sa.Integer, nullable=False),
        sa.Column("tokens_out", sa.Integer, nullable=False),
        sa.Column("cost_micros", sa.Integer, nullable=False),
        sa.Column("price_version", sa.String(40), nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("cache_hit", sa.Boolean, nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("error_class", sa.String(40), nullable=True),
    )
    op.create_table(
        "llm_cache",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("task_type", sa.String(40), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("provider", sa.String(100), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
    )
    op.create_table(
        "llm_budget",
        sa.Column("scope", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(500), primary_key=True),
        sa.Column("limit_micros", sa.Integer, nullable=False),
        sa.Column("spent_micros", sa.Integer, nullable=False, server_default="0"),
        sa.Column("reserved_micros", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "llm_review_queue",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="open"),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("spec", sa.String(500), nullable=True),
        sa.Column("run_id", sa.String(100), nullable=True),
        sa.Column("task_type", sa.String(40), nullable=False),
        sa.Column("messages", sa.JSON, nullable=False),
        sa.Column("last_output", sa.Text, nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("llm_review_queue", "llm_budget", "llm_cache", "llm_ledger"):
        op.drop_table(table)
