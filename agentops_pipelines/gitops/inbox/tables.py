"""App-store table of the webhook inbox (Alembic branch `gitops`).

The payload is the JSON document verbatim as received (no re-serialisation), so a delivery can be
re-verified and re-parsed later with a newer model without loss.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agentops_pipelines.gitops.inbox.writer import IGNORED, PENDING, PROCESSED
from agentops_pipelines.store.db import Base

__all__ = ["IGNORED", "PENDING", "PROCESSED", "WebhookInboxRow"]


class WebhookInboxRow(Base):
    __tablename__ = "webhook_inbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(String(100), unique=True)
    event: Mapped[str] = mapped_column(String(100))
    action: Mapped[str | None] = mapped_column(String(100), nullable=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
