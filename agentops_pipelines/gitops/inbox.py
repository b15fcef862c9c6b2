"""The durable webhook inbox: one idempotent INSERT per delivery, cursor reads for sensors.

Exactly-once consumption: rows get an autoincrement id and a sensor keeps the last id it handled
as its cursor. On SQLite writers are serialised, so ids become visible in id order and a cursor
never skips a row. (On PostgreSQL a sequence value can commit after a larger one; a consumer there
should re-read a small window behind its cursor.)
"""

from __future__ import annotations

import json
import threading
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import DateTime, Engine, TextClause, bindparam, select, text, update
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.events import GitHubEvent, parse_event
from agentops_pipelines.gitops.tables import IGNORED, PENDING, PROCESSED, WebhookInboxRow


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


def _insert_ignoring_duplicates() -> TextClause:
    """ON CONFLICT DO NOTHING keeps a redelivery to one row without a read-before-write race.

    Written as SQL text (same syntax on SQLite and PostgreSQL) because SQLAlchemy does not cache
    the compiled dialect `insert().on_conflict_do_nothing()`, and recompiling it on every delivery
    was the largest cost of the request path.
    """
    columns = [c.name for c in WebhookInboxRow.__table__.columns if c.name != "id"]
    sql = (
        f"INSERT INTO webhook_inbox ({', '.join(columns)}) "
        f"VALUES ({', '.join(':' + c for c in columns)}) "
        "ON CONFLICT (delivery_id) DO NOTHING"
    )
    stamp = DateTime(timezone=True)
    return text(sql).bindparams(
        bindparam("received_at", type_=stamp), bindparam("processed_at", type_=stamp)
    )


def _writer_lock(engine: Engine) -> AbstractContextManager:
    """SQLite has one writer at a time and its busy handler backs off by sleeping (up to 100 ms).

    Threads of one process queue on a lock instead, so only writers of other processes ever
    meet the busy handler. PostgreSQL takes row locks and needs no such queue.
    """
    return threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()


class InboxWriter:
    """Writes deliveries; `record` returns True for a new delivery, False for a redelivery."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._insert = _insert_ignoring_duplicates()
        self._lock = _writer_lock(engine)

    def record(
        self, *, delivery_id: str, event: str, action: str | None, payload: str, status: str
    ) -> bool:
        now = datetime.now(UTC)
        values = {
            "delivery_id": delivery_id,
            "event": event,
            "action": action,
            "received_at": now,
            "payload": payload,
            "status": status,
            "processed_at": now if status == PROCESSED else None,
        }
        with self._lock, self._engine.begin() as conn:
            result = conn.execute(self._insert, values)
        return result.rowcount == 1


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


def inbox_status_for(event: str, handled: frozenset[str]) -> str:
    """Unknown events are kept for audit but never offered to sensors; a ping needs no work."""
    if event not in handled:
        return IGNORED
    return PROCESSED if event == "ping" else PENDING
