"""Template marketplace: catalog, versions, downloads, forks, ratings, reviews, moderation.

Revision ID: marketplace_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "marketplace_0001"
down_revision = "0001_base"
branch_labels = ("marketplace",)
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "mp_template",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(120), nullable=False, unique=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("license", sa.String(60), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("price_cents", sa.Integer, nullable=False),
        sa.Column("latest_version", sa.String(60), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_index("ix_mp_template_status", "mp_template", ["status"])
    op.create_table(
        "mp_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("mp_template.id"), nullable=False),
        sa.Column("version", sa.String(60), nullable=False),
        sa.Column("changelog", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("published_at", _TS, nullable=True),
        sa.UniqueConstraint("template_id", "version", name="uq_mp_version"),
    )
    op.create_table(
        "mp_download",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("mp_template.id"), nullable=False),
        sa.Column("version", sa.String(60), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("at", _TS, nullable=False),
    )
    op.create_index("ix_mp_download_template", "mp_download", ["template_id"])
    op.create_table(
        "mp_fork",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("mp_template.id"), nullable=False),
        sa.Column("upstream_version", sa.String(60), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("forked_by", sa.String(200), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("template_id", "workspace", name="uq_mp_fork"),
    )
    op.create_table(
        "mp_notification",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("fork_id", sa.Integer, sa.ForeignKey("mp_fork.id"), nullable=False),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("mp_template.id"), nullable=False),
        sa.Column("from_version", sa.String(60), nullable=False),
        sa.Column("to_version", sa.String(60), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("read_at", _TS, nullable=True),
    )
    op.create_index("ix_mp_notification_workspace", "mp_notification", ["workspace"])
    op.create_table(
        "mp_rating",
        sa.Column("template_id", sa.Integer, sa.ForeignKey("mp_template.id"), primary_key=True),
        sa.Column("user", sa.String(200), primary_key=True),
        sa.Column("stars", sa.Integer, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_table(
        "mp_review",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("mp_template.id"), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("reply", sa.Text, nullable=True),
        sa.Column("replied_at", _TS, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.UniqueConstraint("template_id", "user", name="uq_mp_review"),
    )
    op.create_table(
        "mp_moderation",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("mp_template.id"), nullable=True),
        sa.Column("version", sa.String(60), nullable=True),
        sa.Column("review_id", sa.Integer, nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", _TS, nullable=False),
    )
    op.create_index("ix_mp_moderation_template", "mp_moderation", ["template_id"])


def downgrade() -> None:
    for name in (
        "mp_moderation",
        "mp_review",
        "mp_rating",
        "mp_notification",
        "mp_fork",
        "mp_download",
        "mp_version",
        "mp_template",
    ):
        op.drop_table(name)
