"""The router's persistence in the app store: cache, ledger, review queue.

SQLite connections are switched to explicit `BEGIN IMMEDIATE` transactions so a budget
read-check-write holds the write lock from the first read: two processes can never both see the
same headroom. PostgreSQL gets `SELECT ... FOR UPDATE` instead (see budget.py).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, Row, bindparam, event, insert, select, text

from agentops_pipelines.llm.sqlite_hot import (
    CACHE_UPSERT,
    CacheEntry,
    SqliteHotPath,
    sqlite_path,
)
from agentops_pipelines.llm.tables import LedgerRow, ReviewItemRow
from agentops_pipelines.store.db import Base, ensure_schema, shared_engine


def _immediate_transactions(engine: Engine) -> None:
    """pysqlite defers BEGIN until the first write; the budget check needs the lock at BEGIN."""

    @event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def open_llm_engines(db_url: str, migrate_schema: bool = True) -> tuple[Engine, Engine]:
    """(engine for cache/ledger/reads, engine for budget transactions).

    Two engines because only budget checks need the write lock at BEGIN; taking it for every
    cache read would serialise all readers for nothing.
    """
    if migrate_schema:
        ensure_schema(db_url)
    engine = shared_engine(db_url)
    budget_engine = shared_engine(db_url, "llm-budget", _configure_budget_engine)
    return engine, budget_engine


def _configure_budget_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        _immediate_transactions(engine)


# Statements built once: building SQLAlchemy constructs per call dominated the router's overhead.
_LEDGER = Base.metadata.tables["llm_ledger"]
_CACHE = Base.metadata.tables["llm_cache"]
_REVIEW = Base.metadata.tables["llm_review_queue"]
_LEDGER_INSERT = _LEDGER.insert()
# ON CONFLICT upsert: same text on SQLite (>= 3.24) and PostgreSQL, one statement per write.
_CACHE_UPSERT = text(CACHE_UPSERT)
_CACHE_SELECT = select(_CACHE).where(_CACHE.c.key == bindparam("k"))


def write_outcome(conn: Connection, ledger: dict, cache: dict | None = None) -> None:
    """Ledger row (+ cache entry) inside the caller's transaction, so one commit per call."""
    conn.execute(_LEDGER_INSERT, {"at": datetime.now(UTC), **ledger})
    if cache is not None:
        conn.execute(_CACHE_UPSERT, cache)


def cache_values(key: str, task_type: str, text: str, provider: str, model: str, ttl_s: float):
    now = time.time()
    return dict(
        key=key,
        task_type=task_type,
        text=text,
        provider=provider,
        model=model,
        created_at=now,
        expires_at=now + ttl_s,
    )


class LLMStore:
    def __init__(self, engine: Engine):
        self.engine = engine
        path = sqlite_path(engine)
        self.hot = SqliteHotPath(path) if path else None

    def cache_get(self, key: str, now: float | None = None) -> CacheEntry | Row | None:
        now = time.time() if now is None else now
        row: CacheEntry | Row | None
        if self.hot is not None:
            row = self.hot.cache_get(key)
        else:
            with self.engine.connect() as conn:
                row = conn.execute(_CACHE_SELECT, {"k": key}).first()
        if row is None or row.expires_at <= now:
            return None
        return row

    def ledger_add(self, **values) -> None:
        if self.hot is not None:
            self.hot.settle((), 0, 0, values, None)
            return
        with self.engine.begin() as conn:
            write_outcome(conn, values)

    def ledger(self, run_id: str | None = None) -> list[dict]:
        query = select(LedgerRow.__table__).order_by(LedgerRow.id)
        if run_id is not None:
            query = query.where(LedgerRow.run_id == run_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def enqueue_review(self, **values) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(ReviewItemRow).values(created_at=datetime.now(UTC), status="open", **values)
            )
            primary_key = result.inserted_primary_key
            assert primary_key is not None
            return int(primary_key[0])

    def set_review_status(self, item_id: int, status: str) -> None:
        """A reviewer acts on a queued request: 'resolved', 'rejected' or back to 'open'."""
        if status not in ("open", "resolved", "rejected"):
            raise ValueError(
                f"review status '{status}' is not allowed: use open, resolved or rejected"
            )
        table = _REVIEW
        with self.engine.begin() as conn:
            found = conn.execute(
                table.update().where(table.c.id == item_id).values(status=status)
            ).rowcount
        if not found:
            raise KeyError(f"review item {item_id} does not exist; list open items first")

    def resolve_review(
        self, item_id: int, answer: str, reviewer: str, cache_ttl_s: float | None = None
    ) -> None:
        """A reviewer answers a queued request. With `cache_ttl_s` the answer is also cached
        under the request's hash, so re-running the same request gets it (validated against the
        request's schema on read, like any cached answer)."""
        if not answer.strip():
            raise ValueError(f"review item {item_id}: the answer is empty; write the answer")
        with self.engine.begin() as conn:
            item = self._close_review(conn, item_id, "resolved", reviewer, answer=answer)
            if cache_ttl_s is not None:
                values = cache_values(
                    item["request_hash"], item["task_type"], answer, "human", reviewer, cache_ttl_s
                )
                conn.execute(_CACHE_UPSERT, values)

    def dismiss_review(self, item_id: int, reason: str, reviewer: str) -> None:
        """A reviewer rejects a queued request; the reason is recorded with the item."""
        if not reason.strip():
            raise ValueError(f"review item {item_id}: a dismissal needs a reason; give one")
        with self.engine.begin() as conn:
            self._close_review(conn, item_id, "rejected", reviewer, resolution_note=reason)

    @staticmethod
    def _close_review(conn: Connection, item_id: int, status: str, reviewer: str, **values):
        table = _REVIEW
        changed = conn.execute(
            table.update()
            .where(table.c.id == item_id, table.c.status == "open")
            .values(status=status, resolved_by=reviewer, resolved_at=datetime.now(UTC), **values)
        ).rowcount
        if not changed:
            raise KeyError(
                f"review item {item_id} is not open (missing or already handled); reload the queue"
            )
        row = conn.execute(select(table).where(table.c.id == item_id)).first()
        assert row is not None
        return dict(row._mapping)

    def review_items(self, status: str = "open") -> list[dict]:
        query = select(ReviewItemRow.__table__).where(ReviewItemRow.status == status)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(ReviewItemRow.id))]
