"""SpecGPT's tables (Alembic branch `assistant`): suggestions, human decisions, usage log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agentops_pipelines.store.db import Base
from agentops_pipelines.store.scoping import WorkspaceKeyed, WorkspaceScoped

PROPOSED = "proposed"
ACCEPTED = "accepted"
PENDING_APPROVAL = "pending_approval"
"""Accepted by a human; the spec repository is linked to a Git host, so the change waits as a
Git proposal for a reviewer's approval (the proposal is found by its branch, see git_accept)."""
REJECTED = "rejected"
CONFLICT = "conflict"
SUGGESTION_STATUSES = (PROPOSED, ACCEPTED, PENDING_APPROVAL, REJECTED, CONFLICT)


class SuggestionRow(WorkspaceKeyed, Base):
    """A proposal with its diff; the spec file only changes when a decision accepts it."""

    __tablename__ = "assistant_suggestion"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    spec_id: Mapped[str] = mapped_column(String(500))
    feature: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(100))
    requirement_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    title: Mapped[str] = mapped_column(String(500))
    proposal: Mapped[str] = mapped_column(Text)
    diff: Mapped[str] = mapped_column(Text)
    base_hash: Mapped[str] = mapped_column(String(64))
    new_text: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(200))
    template_version: Mapped[str] = mapped_column(String(20))
    model: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # one of SUGGESTION_STATUSES
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionRow(WorkspaceScoped, Base):
    """Who accepted or rejected which suggestion, when, and why (a reason is required to reject)."""

    __tablename__ = "assistant_decision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("assistant_suggestion.id"), unique=True)
    decision: Mapped[str] = mapped_column(String(10))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class UsageRow(WorkspaceKeyed, Base):
    """One SpecGPT request: tokens and cost (from the router ledger), latency, retrieval hits."""

    __tablename__ = "assistant_usage"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    workspace: Mapped[str] = mapped_column(String(200))
    user_name: Mapped[str] = mapped_column(String(200))
    feature: Mapped[str] = mapped_column(String(50))
    template: Mapped[str | None] = mapped_column(String(200), nullable=True)
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    outcome: Mapped[str] = mapped_column(String(30))
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    cost_micros: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    retrieval_hits: Mapped[int] = mapped_column(Integer, default=0)
    redactions: Mapped[int] = mapped_column(Integer, default=0)
