"""App-store tables of proposed changes, their audit trail, repo links and task status.

Alembic branch `gitops` (revision gitops_0002). A proposal holds the full file contents and the
diff it was reviewed with, so what is pushed after approval is exactly what the reviewer saw.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agentops_pipelines.store.db import Base

PROPOSED = "proposed"
APPROVED = "approved"
REJECTED = "rejected"
PUSHED = "pushed"
FAILED = "failed"
PROPOSAL_STATUSES = (PROPOSED, APPROVED, REJECTED, PUSHED, FAILED)


class RepoLinkRow(Base):
    """A GitHub repository and what it holds: specs (spec_root/spec_globs) and/or their code."""

    __tablename__ = "gitops_repo_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repo: Mapped[str] = mapped_column(String(200), unique=True)
    remote_url: Mapped[str] = mapped_column(Text)
    base_branch: Mapped[str] = mapped_column(String(200))
    spec_root: Mapped[str | None] = mapped_column(String(500), nullable=True)
    spec_globs: Mapped[str] = mapped_column(Text)  # JSON list
    implements: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProposalRow(Base):
    __tablename__ = "gitops_proposals"
    __table_args__ = (UniqueConstraint("spec_id", "branch", name="uq_gitops_proposal_branch"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    spec_id: Mapped[str] = mapped_column(String(500), index=True)
    repo: Mapped[str] = mapped_column(String(200))
    task_ids: Mapped[str] = mapped_column(Text)  # JSON list
    title: Mapped[str] = mapped_column(String(500))
    branch: Mapped[str] = mapped_column(String(300))
    base: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(40))
    files: Mapped[str] = mapped_column(Text)  # JSON list of {path, content}
    diff: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)  # JSON object
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)
    commit_sha: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pr_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pr_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    pr_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    checks_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    __tablename__ = "gitops_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    proposal_id: Mapped[int] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TaskStatusRow(Base):
    """One task of a spec as the Git host sees it: open -> in_review -> done (or reopened)."""

    __tablename__ = "gitops_task_status"
    spec_id: Mapped[str] = mapped_column(String(500), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    proposal_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pr_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checks_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    issue_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
