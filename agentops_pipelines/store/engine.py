"""Engines for the app store: SQLAlchemy Core only, so a process that only writes rows (the
webhook receiver) gets the same SQLite settings without importing the ORM or Alembic.

SQLite runs in WAL mode with a busy timeout so a writer waits for a lock instead of failing,
readers never block writers, and synchronous=NORMAL keeps a commit across a killed process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from agentops_pipelines.settings import settings_for

POOL_SIZE_ENV = "AGENTOPS_DB_POOL_SIZE"
MAX_OVERFLOW_ENV = "AGENTOPS_DB_MAX_OVERFLOW"
POOL_ENV = "AGENTOPS_DB_POOL"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL + busy_timeout: concurrent writers from other processes wait rather than error."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def private_state_file(path: Path) -> None:
    """Create the database file 0600 before SQLite does (it would use the umask, often 0644):
    app state holds audit trails and ledgers that other local users have no business reading.
    SQLite gives its -wal and -shm files the database file's mode."""
    if str(path) in ("", ":memory:"):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.chmod(companion, 0o600)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        private_state_file(Path(url.removeprefix("sqlite:///").split("?", 1)[0]))
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **pool_options())
    if engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _name_workspace)
    return engine


WORKSPACE_SETTING = "agentops.workspace"


def _name_workspace(conn: Connection) -> None:
    """Every transaction names the acting workspace for the row-level security policies
    (store/scoping.py). Sent on the DBAPI connection, where it opens the transaction, and
    transaction-local (`set_config(..., true)`), so a pooled connection never carries it on."""
    from agentops_pipelines.store.acting_workspace import active_workspace

    cursor = conn.connection.cursor()
    try:
        cursor.execute("select set_config(%s, %s, true)", (WORKSPACE_SETTING, active_workspace()))
    finally:
        cursor.close()


def pool_options(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Connections per process, sized by the deployment: each uvicorn worker, Celery worker
    and Streamlit server holds its own pool, so the database sees processes x (size +
    overflow). Behind PgBouncer in transaction mode set AGENTOPS_DB_POOL=null: PgBouncer
    pools, and every checkout is a fresh client connection to it."""
    store = settings_for(environ).store
    if store.pool == "null":
        return {"poolclass": NullPool}
    return {
        "pool_size": store.pool_size,
        "max_overflow": store.max_overflow,
        "pool_recycle": 1800,  # under a load balancer's or PgBouncer's idle timeout
    }
