"""The durable webhook inbox: one idempotent INSERT per delivery, cursor reads for sensors.

Exactly-once consumption: rows get an autoincrement id and a sensor keeps the last id it handled
as its cursor. On SQLite writers are serialised, so ids become visible in id order and a cursor
never skips a row. (On PostgreSQL a sequence value can commit after a larger one; a consumer there
should re-read a small window behind its cursor.)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.inbox.events import GitHubEvent, parse_event
from agentops_pipelines.gitops.inbox.tables import IGNORED, PENDING, PROCESSED, WebhookInboxRow
from agentops_pipelines.gitops.inbox.writer import InboxWriter, inbox_status_for

__all__ = ["InboxRow", "InboxWriter", "inbox_status_for", "mark_processed", "read_inbox"]


class InboxRow(BaseModel):
    id: int
    delivery_id: str
    event: str
    action: str | None
    received_at: datetime
    status: str
    processed_at: datetime | None
    payload: dict[str, Any]

    def parsed(self) -> GitHubEvent:
        """The typed model of this delivery (raises UnhandledEventError for ignored events)."""
        return parse_event(self.event, self.payload)


def read_inbox(
    session_factory: sessionmaker, after_id: int, limit: int, *, include_ignored: bool = False
) -> list[InboxRow]:
    """Deliveries with id > after_id in id order; the last id returned is the next cursor."""
    query = select(WebhookInboxRow).where(WebhookInboxRow.id > after_id)
    if not include_ignored:
        query = query.where(WebhookInboxRow.status != IGNORED)
    query = query.order_by(WebhookInboxRow.id).limit(limit)
    with session_factory() as session:
        rows = session.scalars(query).all()
        return [
            InboxRow(
                id=row.id,
                delivery_id=row.delivery_id,
                event=row.event,
                action=row.action,
                received_at=row.received_at,
                status=row.status,
                processed_at=row.processed_at,
                payload=json.loads(row.payload),
            )
            for row in rows
        ]


def mark_processed(session_factory: sessionmaker, ids: list[int]) -> int:
    """Flag pending deliveries as handled; returns how many changed."""
    if not ids:
        return 0
    with session_factory.begin() as session:
        result = session.execute(
            update(WebhookInboxRow)
            .where(WebhookInboxRow.id.in_(ids), WebhookInboxRow.status == PENDING)
            .values(status=PROCESSED, processed_at=datetime.now(UTC))
        )
        return result.rowcount
