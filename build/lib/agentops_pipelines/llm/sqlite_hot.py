"""The router's per-call statements on SQLite through raw `sqlite3` connections.

Why: each call does a cache lookup, a budget reservation and a settle (+ ledger row). Through a
SQLAlchemy engine every one of them paid ~0.1-0.2 ms of CPU for pool checkout, event dispatch and
reset-on-return, which was most of the router's overhead. A raw connection per thread runs the
same SQL (sqlite3 caches the prepared statements) in ~10 us. PostgreSQL keeps the SQLAlchemy path
(`FOR UPDATE`), and every other read goes through SQLAlchemy as before.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Engine

from agentops_pipelines.llm.errors import BudgetExceededError

LEDGER_COLUMNS = (
    "at, request_hash, workspace, spec, run_id, task_type, provider, model, attempt, tokens_in, "
    "tokens_out, cost_micros, price_version, latency_ms, cache_hit, outcome, error_class"
)
_LEDGER_INSERT = (
    f"INSERT INTO llm_ledger ({LEDGER_COLUMNS}) VALUES ("
    + ", ".join(f":{c.strip()}" for c in LEDGER_COLUMNS.split(","))
    + ")"
)
CACHE_SELECT = (
    "SELECT key, task_type, text, provider, model, created_at, expires_at "
    "FROM llm_cache WHERE key = :k"
)
CACHE_UPSERT = (
    "INSERT INTO llm_cache (key, task_type, text, provider, model, created_at, expires_at) "
    "VALUES (:key, :task_type, :text, :provider, :model, :created_at, :expires_at) "
    "ON CONFLICT (key) DO UPDATE SET task_type = excluded.task_type, text = excluded.text, "
    "provider = excluded.provider, model = excluded.model, created_at = excluded.created_at, "
    "expires_at = excluded.expires_at"
)
SELECT_SCOPES = (
    "SELECT scope, key, limit_micros, spent_micros, reserved_micros FROM llm_budget "
    "WHERE (scope = 'workspace' AND key = :w) OR (scope = 'spec' AND key = :s) "
    "OR (scope = 'run' AND key = :r)"
)
RESERVE = (
    "UPDATE llm_budget SET reserved_micros = reserved_micros + :m "
    "WHERE scope = :scope AND key = :key"
)
SETTLE = (
    "UPDATE llm_budget SET reserved_micros = reserved_micros - :m, "
    "spent_micros = spent_micros + :actual WHERE scope = :scope AND key = :key"
)


class CacheEntry(NamedTuple):
    key: str
    task_type: str
    text: str
    provider: str
    model: str
    created_at: float
    expires_at: float


def sqlite_path(engine: Engine) -> str | None:
    """The file behind a SQLite engine; None for other dialects and in-memory databases."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    return database if database and database != ":memory:" else None


def ledger_params(ledger: dict[str, Any]) -> dict[str, Any]:
    """SQLAlchemy's SQLite DateTime text format, so ORM reads parse rows written here."""
    at = ledger.get("at") or datetime.now(UTC)
    return {**ledger, "at": at.replace(tzinfo=None).isoformat(" ", "microseconds")}


class SqliteHotPath:
    """One autocommit-mode connection per thread (and per process: re-opened after a fork)."""

    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            local.conn, local.pid = conn, os.getpid()
        return local.conn

    @contextmanager
    def immediate(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE: the write lock is held from the first read (budget check)."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # also after a failed COMMIT: never leave one open
                conn.execute("ROLLBACK")
            raise

    def cache_get(self, key: str) -> CacheEntry | None:
        row = self._conn().execute(CACHE_SELECT, {"k": key}).fetchone()
        return CacheEntry(*row) if row is not None else None

    def reserve(self, scopes: dict[str, str | None], micros: int) -> tuple[tuple[str, str], ...]:
        """Check every matching budget and reserve `micros` on each, atomically."""
        with self.immediate() as conn:
            rows = conn.execute(SELECT_SCOPES, scopes).fetchall()
            for scope, key, limit, spent, reserved in rows:
                if spent + reserved + micros > limit:
                    raise BudgetExceededError(scope, key, limit, spent + reserved, micros)
            for scope, key, *_ in rows:
                conn.execute(RESERVE, {"m": micros, "scope": scope, "key": key})
        return tuple((scope, key) for scope, key, *_ in rows)

    def settle(
        self,
        scopes: tuple[tuple[str, str], ...],
        reserved: int,
        actual: int,
        ledger: dict[str, Any] | None,
        cache: dict[str, Any] | None,
    ) -> None:
        with self.immediate() as conn:
            for scope, key in scopes:
                conn.execute(SETTLE, {"m": reserved, "actual": actual, "scope": scope, "key": key})
            if ledger is not None:
                conn.execute(_LEDGER_INSERT, ledger_params(ledger))
            if cache is not None:
                conn.execute(CACHE_UPSERT, cache)
