"""App-store tables of the router (Alembic branch `llm`). Money is integer micro-dollars."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agentops_pipelines.store.db import Base
from agentops_pipelines.store.scoping import WorkspaceKeyed


class LedgerRow(WorkspaceKeyed, Base):
    __tablename__ = "llm_ledger"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    request_hash: Mapped[str] = mapped_column(String(64), index=True)
    workspace: Mapped[str] = mapped_column(String(200))
    spec: Mapped[str | None] = mapped_column(String(500), nullable=True)
    run_id: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    task_type: Mapped[str] = mapped_column(String(40))
    provider: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(200))
    attempt: Mapped[int] = mapped_column(Integer)
    tokens_in: Mapped[int] = mapped_column(Integer)
    tokens_out: Mapped[int] = mapped_column(Integer)
    cost_micros: Mapped[int] = mapped_column(Integer)
    price_version: Mapped[str] = mapped_column(String(40))
    latency_ms: Mapped[float] = mapped_column(Float)
    cache_hit: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(40))
    error_class: Mapped[str | None] = mapped_column(String(40), nullable=True)


class CacheRow(Base):
    __tablename__ = "llm_cache"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    task_type: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)


class BudgetRow(Base):
    __tablename__ = "llm_budget"
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    limit_micros: Mapped[int] = mapped_column(Integer)
    spent_micros: Mapped[int] = mapped_column(Integer, default=0)
    reserved_micros: Mapped[int] = mapped_column(Integer, default=0)


class ReviewItemRow(WorkspaceKeyed, Base):
    __tablename__ = "llm_review_queue"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="open")
    request_hash: Mapped[str] = mapped_column(String(64))
    workspace: Mapped[str] = mapped_column(String(200))
    spec: Mapped[str | None] = mapped_column(String(500), nullable=True)
    run_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    task_type: Mapped[str] = mapped_column(String(40))
    messages: Mapped[list] = mapped_column(JSON)
    last_output: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    # What the reviewer did (llm_0002): an answer when resolved, a reason when dismissed.
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolution_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class BreakerRow(Base):
    """Shared circuit-breaker state per provider (migration llm_0002): every process (Dagster,
    API, Streamlit) reads it, so a provider opened by one is skipped by all. Times are Unix
    epoch seconds; `generation` increases on every write (optimistic probe claims)."""

    __tablename__ = "llm_breaker"
    provider: Mapped[str] = mapped_column(String(100), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    consecutive_failures: Mapped[int] = mapped_column(Integer)
    window_requests: Mapped[int] = mapped_column(Integer)
    window_failures: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    since: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)
    generation: Mapped[int] = mapped_column(Integer)


class ReservationRow(Base):
    """A budget reservation in flight; expired leases are reclaimed by the next reservation."""

    __tablename__ = "llm_reservation"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scopes: Mapped[str] = mapped_column(Text)  # JSON [[scope, key], ...]
    micros: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    holder: Mapped[str] = mapped_column(String(200))
