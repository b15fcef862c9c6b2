"""SpecGPT: suggestions (proposals with a diff), human decisions, usage log.

Revision ID: assistant_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "assistant_0001"
down_revision = "0001_base"
branch_labels = ("assistant",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_suggestion",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("spec_id", sa.String(500), nullable=False),
        sa.Column("feature", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("requirement_id", sa.String(100), nullable=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("proposal", sa.Text, nullable=False),
        sa.Column("diff", sa.Text, nullable=False),
        sa.Column("base_hash", sa.String(64), nullable=False),
        sa.Column("new_text", sa.Text, nullable=False),
        sa.Column("template", sa.String(200), nullable=False),
        sa.Column("template_version", sa.String(20), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_assistant_suggestion_spec", "assistant_suggestion", ["spec_id", "status"])
    op.create_table(
        "assistant_decision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "suggestion_id",
            sa.Integer,
            sa.ForeignKey("assistant_suggestion.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
    )
    op.create_table(
        "assistant_usage",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("feature", sa.String(50), nullable=False),
        sa.Column("template", sa.String(200), nullable=True),
        sa.Column("model", sa.String(200), nullable=True),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("tokens_in", sa.Integer, nullable=False),
        sa.Column("tokens_out", sa.Integer, nullable=False),
        sa.Column("cost_micros", sa.Integer, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("retrieval_hits", sa.Integer, nullable=False),
        sa.Column("redactions", sa.Integer, nullable=False),
    )
    op.create_index("ix_assistant_usage_user_at", "assistant_usage", ["user_name", "at"])


def downgrade() -> None:
    op.drop_index("ix_assistant_usage_user_at", table_name="assistant_usage")
    op.drop_table("assistant_usage")
    op.drop_table("assistant_decision")
    op.drop_index("ix_assistant_suggestion_spec", table_name="assistant_suggestion")
    op.drop_table("assistant_suggestion")
