"""App-store tables of the marketplace (Alembic branch `marketplace`, `mp_` prefix).

Counts (downloads, ratings) are rows, not counters, so concurrent writers never lose an update
and the figures can be recomputed or audited; listings aggregate them with GROUP BY.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agentops_pipelines.store.db import Base
from agentops_pipelines.store.scoping import WorkspaceKeyed

_TS = DateTime(timezone=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


class TemplateRow(Base):
    __tablename__ = "mp_template"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    license: Mapped[str] = mapped_column(String(60))
    tags: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True)
    price_cents: Mapped[int] = mapped_column(Integer)
    latest_version: Mapped[str | None] = mapped_column(String(60), nullable=True)
    created_at: Mapped[datetime] = mapped_column(_TS)
    updated_at: Mapped[datetime] = mapped_column(_TS)


class VersionRow(Base):
    __tablename__ = "mp_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("mp_template.id"))
    version: Mapped[str] = mapped_column(String(60))
    changelog: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    files: Mapped[dict[str, str]] = mapped_column(JSON)
    meta: Mapped[dict] = mapped_column(JSON, doc="Front matter; applied when it goes live")
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(_TS)
    published_at: Mapped[datetime | None] = mapped_column(_TS, nullable=True)


class DownloadRow(WorkspaceKeyed, Base):
    __tablename__ = "mp_download"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("mp_template.id"), index=True)
    version: Mapped[str] = mapped_column(String(60))
    user: Mapped[str] = mapped_column(String(200))
    workspace: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(_TS)


class ForkRow(WorkspaceKeyed, Base):
    __tablename__ = "mp_fork"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("mp_template.id"))
    upstream_version: Mapped[str] = mapped_column(String(60))
    workspace: Mapped[str] = mapped_column(String(200))
    forked_by: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(_TS)


class NotificationRow(WorkspaceKeyed, Base):
    __tablename__ = "mp_notification"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200), index=True)
    fork_id: Mapped[int] = mapped_column(ForeignKey("mp_fork.id"))
    template_id: Mapped[int] = mapped_column(ForeignKey("mp_template.id"))
    from_version: Mapped[str] = mapped_column(String(60))
    to_version: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(_TS)
    read_at: Mapped[datetime | None] = mapped_column(_TS, nullable=True)


class RatingRow(Base):
    __tablename__ = "mp_rating"
    template_id: Mapped[int] = mapped_column(ForeignKey("mp_template.id"), primary_key=True)
    user: Mapped[str] = mapped_column(String(200), primary_key=True)
    stars: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(_TS)


class ReviewRow(Base):
    __tablename__ = "mp_review"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("mp_template.id"))
    user: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(_TS, nullable=True)
    created_at: Mapped[datetime] = mapped_column(_TS)
    updated_at: Mapped[datetime] = mapped_column(_TS)


class ModerationRow(Base):
    """The audit trail: every automatic verdict and every moderator decision, never updated."""

    __tablename__ = "mp_moderation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("mp_template.id"), nullable=True, index=True
    )
    version: Mapped[str | None] = mapped_column(String(60), nullable=True)
    review_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(_TS)
