"""Members (role per workspace and subject) and API tokens (hashes only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from agentops_pipelines.store.db import Base

_TS = DateTime(timezone=True)


class MemberRow(Base):
    __tablename__ = "auth_member"
    workspace: Mapped[str] = mapped_column(String(200), primary_key=True)
    subject: Mapped[str] = mapped_column(String(320), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    added_by: Mapped[str] = mapped_column(String(320))
    added_at: Mapped[datetime] = mapped_column(_TS)


class TokenRow(Base):
    __tablename__ = "auth_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    workspace: Mapped[str] = mapped_column(String(200), index=True)
    subject: Mapped[str] = mapped_column(String(320))
    role: Mapped[str | None] = mapped_column(String(20), nullable=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(_TS)
    expires_at: Mapped[datetime] = mapped_column(_TS)
    revoked_at: Mapped[datetime | None] = mapped_column(_TS, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(_TS, nullable=True)
