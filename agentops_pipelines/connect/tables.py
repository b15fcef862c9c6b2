"""Pending OAuth flows (state -> PKCE verifier, one use) and each workspace's GitHub App
installation. Neither holds a token: installation tokens are minted per use."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from agentops_pipelines.store.db import Base

_TS = DateTime(timezone=True)


class OAuthFlowRow(Base):
    __tablename__ = "connect_oauth_flow"
    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    workspace: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str | None] = mapped_column(String(320), nullable=True)
    verifier: Mapped[str] = mapped_column(String(128))
    installation_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(_TS)


class GitHubInstallationRow(Base):
    __tablename__ = "connect_github_installation"
    workspace: Mapped[str] = mapped_column(String(200), primary_key=True)
    installation_id: Mapped[int] = mapped_column(BigInteger)
    account: Mapped[str] = mapped_column(String(200))
    connected_by: Mapped[str] = mapped_column(String(320))
    connected_at: Mapped[datetime] = mapped_column(_TS)
