"""Per-workspace feature toggles (Marketplace, SpecGPT).

Revision ID: workspace_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "workspace_0001"
down_revision = "0001_base"
branch_labels = ("workspace",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace_feature",
        sa.Column("workspace", sa.String(200), primary_key=True),
        sa.Column("feature", sa.String(100), primary_key=True),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("workspace_feature")
