"""The receiver's write path: one idempotent INSERT per delivery, on SQLAlchemy Core only.

Kept apart from the ORM tables on purpose: the ORM and Alembic are about half of the receiver's
start-up time, and after a crash every second of start-up is a second in which GitHub's
deliveries fail. The engine comes from `store.engine.make_engine` (Core only, same pragmas as
every other process: WAL + synchronous=NORMAL, so a commit survives a killed process).
"""

from __future__ import annotations

import asyncio
import threading
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, TextClause, bindparam, text

PENDING = "pending"
IGNORED = "ignored"
PROCESSED = "processed"
# The columns of webhook_inbox (migration gitops_0001) other than the autoincrement id.
COLUMNS = ("delivery_id", "event", "action", "received_at", "payload", "status", "processed_at")


def _insert_ignoring_duplicates() -> TextClause:
    """ON CONFLICT DO NOTHING keeps a redelivery to one row without a read-before-write race.

    Written as SQL text (same syntax on SQLite and PostgreSQL) because SQLAlchemy does not cache
    the compiled dialect `insert().on_conflict_do_nothing()`, and recompiling it on every delivery
    was the largest cost of the request path.
    """
    sql = (
        f"INSERT INTO webhook_inbox ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join(':' + c for c in COLUMNS)}) "
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
        row = {"delivery_id": delivery_id, "event": event, "action": action}
        return self.record_many([row | {"payload": payload, "status": status}])[0]

    def record_many(self, rows: list[dict[str, Any]]) -> list[bool]:
        """Several deliveries in one transaction (one commit); True where a row was new."""
        now = datetime.now(UTC)
        inserted = []
        with self._lock, self._engine.begin() as conn:
            for row in rows:
                done = row["status"] == PROCESSED
                values = row | {"received_at": now, "processed_at": now if done else None}
                inserted.append(conn.execute(self._insert, values).rowcount == 1)
        return inserted


class BatchingInboxWriter:
    """Group commit for an asyncio server: deliveries that arrive in the same event-loop pass
    share one transaction, and each caller is answered only after that commit.

    A commit is most of a delivery's write cost on SQLite, and the loop reads many sockets per
    pass under load, so batches form by themselves without any added wait.
    """

    def __init__(self, writer: InboxWriter) -> None:
        self._writer = writer
        self._queue: list[tuple[dict[str, Any], asyncio.Future[bool]]] = []

    async def record(self, row: dict[str, Any]) -> bool:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        if not self._queue:
            loop.call_soon(self._flush)
        self._queue.append((row, future))
        return await future

    def _flush(self) -> None:
        batch, self._queue = self._queue, []
        try:
            results = self._writer.record_many([row for row, _ in batch])
        except Exception as err:  # every waiter of the failed transaction gets the error
            for _, future in batch:
                if not future.done():  # a disconnected client's request was cancelled
                    future.set_exception(err)
            return
        for (_, future), inserted in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(inserted)


def inbox_status_for(event: str, handled: frozenset[str]) -> str:
    """Unknown events are kept for audit but never offered to sensors; a ping needs no work."""
    if event not in handled:
        return IGNORED
    return PROCESSED if event == "ping" else PENDING
