"""Every search's latency and result count, in the app store, for later KPI work."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from agentops_pipelines.store.db import Base
from agentops_pipelines.store.scoping import WorkspaceScoped


class RetrievalQuery(WorkspaceScoped, Base):
    __tablename__ = "retrieval_queries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    query: Mapped[str] = mapped_column(Text, nullable=False)
    mode: Mapped[str] = mapped_column(String(20), nullable=False)
    backend: Mapped[str] = mapped_column(String(40), nullable=False)
    filters: Mapped[str] = mapped_column(Text, nullable=False)
    top_k: Mapped[int] = mapped_column(Integer, nullable=False)
    result_count: Mapped[int] = mapped_column(Integer, nullable=False)
    latency_ms: Mapped[float] = mapped_column(Float, nullable=False)
    source: Mapped[str] = mapped_column(String(40), nullable=False)


def record_query(sessions: sessionmaker[Session], **fields) -> None:
    with sessions() as session, session.begin():
        session.add(RetrievalQuery(at=datetime.now(UTC), **fields))
