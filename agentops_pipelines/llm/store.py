"""The router's persistence in the app store: cache, ledger, review queue.

SQLite connections are switched to explicit `BEGIN IMMEDIATE` transactions so a budget
read-check-write holds the write lock from the first read: two processes can never both see the
same headroom. PostgreSQL gets `SELECT ... FOR UPDATE` instead (see budget.py).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, Row, bindparam, event, insert, select, text

from agentops_pipelines.llm.tables import LedgerRow, ReviewItemRow
from agentops_pipelines.store.db import Base, make_engine, migrate


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
        migrate(db_url)
    engine, budget_engine = make_engine(db_url), make_engine(db_url)
    if budget_engine.dialect.name == "sqlite":
        _immediate_transactions(budget_engine)
    return engine, budget_engine


# Statements built once: building SQLAlchemy constructs per call dominated the router's overhead.
_LEDGER = Base.metadata.tables["llm_ledger"]
_CACHE = Base.metadata.tables["llm_cache"]
_REVIEW = Base.metadata.tables["llm_review_queue"]
_LEDGER_INSERT = _LEDGER.insert()
# ON CONFLICT upsert: same text on SQLite (>= 3.24) and PostgreSQL, one statement per write.
_CACHE_UPSERT = text(
    "INSERT INTO llm_cache (key, task_type, text, provider, model, created_at, expires_at) "
    "VALUES (:key, :task_type, :text, :provider, :model, :created_at, :expires_at) "
    "ON CONFLICT (key) DO UPDATE SET task_type = excluded.task_type, text = excluded.text, "
    "provider = excluded.provider, model = excluded.model, created_at = excluded.created_at, "
    "expires_at = excluded.expires_at"
)
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

    def cache_get(self, key: str, now: float | None = None) -> Row | None:
        now = time.time() if now is None else now
        with self.engine.connect() as conn:
            row = conn.execute(_CACHE_SELECT, {"k": key}).first()
        if row is None or row.expires_at <= now:
            return None
        return row

    def cache_put(
        self, key: str, task_type: str, text: str, provider: str, model: str, ttl_s: float
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(_CACHE_UPSERT, cache_values(key, task_type, text, provider, model, ttl_s))

    def ledger_add(self, **values) -> None:
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

    def review_items(self, status: str = "open") -> list[dict]:
        query = select(ReviewItemRow.__table__).where(ReviewItemRow.status == status)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(ReviewItemRow.id))]
