"""Git integration hub: repo links, proposed changes, their audit trail and task status.

Revision ID: gitops_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "gitops_0002"
down_revision = "gitops_0001"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "gitops_repo_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("repo", sa.String(200), nullable=False, unique=True),
        sa.Column("remote_url", sa.Text, nullable=False),
        sa.Column("base_branch", sa.String(200), nullable=False),
        sa.Column("spec_root", sa.String(500), nullable=True),
        sa.Column("spec_globs", sa.Text, nullable=False),
        sa.Column("implements", sa.String(500), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_table(
        "gitops_proposals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("spec_id", sa.String(500), nullable=False),
        sa.Column("repo", sa.String(200), nullable=False),
        sa.Column("task_ids", sa.Text, nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("branch", sa.String(300), nullable=False),
        sa.Column("base", sa.String(200), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("files", sa.Text, nullable=False),
        sa.Column("diff", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("commit_sha", sa.String(64), nullable=True),
        sa.Column("pr_number", sa.Integer, nullable=True),
        sa.Column("pr_url", sa.Text, nullable=True),
        sa.Column("pr_state", sa.String(20), nullable=True),
        sa.Column("checks_state", sa.String(20), nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.UniqueConstraint("spec_id", "branch", name="uq_gitops_proposal_branch"),
    )
    op.create_index("ix_gitops_proposals_spec_id", "gitops_proposals", ["spec_id"])
    op.create_index("ix_gitops_proposals_status", "gitops_proposals", ["status"])
    op.create_table(
        "gitops_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("proposal_id", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", _TS, nullable=False),
    )
    op.create_index("ix_gitops_audit_proposal_id", "gitops_audit", ["proposal_id"])
    op.create_table(
        "gitops_task_status",
        sa.Column("spec_id", sa.String(500), primary_key=True),
        sa.Column("task_id", sa.String(300), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("proposal_id", sa.Integer, nullable=True),
        sa.Column("pr_number", sa.Integer, nullable=True),
        sa.Column("checks_state", sa.String(20), nullable=True),
        sa.Column("issue_number", sa.Integer, nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("gitops_task_status")
    op.drop_index("ix_gitops_audit_proposal_id", table_name="gitops_audit")
    op.drop_table("gitops_audit")
    op.drop_index("ix_gitops_proposals_status", table_name="gitops_proposals")
    op.drop_index("ix_gitops_proposals_spec_id", table_name="gitops_proposals")
    op.drop_table("gitops_proposals")
    op.drop_table("gitops_repo_links")
