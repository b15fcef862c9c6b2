"""The app store: SQLite by default, PostgreSQL by URL, schema owned by Alembic.

Several processes (Dagster, the API, Streamlit, the webhook receiver) write here. SQLite runs in
WAL mode with a busy timeout so a writer waits for a lock instead of failing, and readers never
block writers.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import DeclarativeBase, sessionmaker

from agentops_pipelines.store.engine import make_engine
from agentops_pipelines.store.shared import migrate_once, shared_engine

__all__ = [
    "Base",
    "ensure_schema",
    "make_engine",
    "migrate",
    "open_store",
    "schema_heads",
    "shared_engine",
]

MIGRATIONS = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    """Every domain's tables hang on this metadata; each domain owns an Alembic branch."""


def migrate(url: str) -> None:
    """Bring the schema to every branch head (each domain keeps its own branch).

    Alembic is imported here, not at module level: it costs seconds of start-up that processes
    which only read or write rows (the webhook receiver, Streamlit) should not pay.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    with _sqlite_migration_lock(url):
        command.upgrade(config, "heads")


@contextmanager
def _sqlite_migration_lock(url: str) -> Iterator[None]:
    """Processes starting together on one machine take turns (PostgreSQL uses an advisory lock
    in migrations/env.py): two first-time upgrades would both create alembic_version."""
    if not url.startswith("sqlite:///"):
        yield
        return
    lock_path = Path(url.removeprefix("sqlite:///") + ".migrate.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def schema_heads(url: str) -> list[str]:
    """The Alembic revisions the database is at (one per domain branch), sorted."""
    from sqlalchemy import inspect, text

    engine = make_engine(url)
    try:
        if not inspect(engine).has_table("alembic_version"):
            return []
        with engine.connect() as conn:
            return sorted(
                r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))
            )
    finally:
        engine.dispose()


def ensure_schema(url: str) -> None:
    """Migrate `url` once per process (thread-safe); later calls cost a dict lookup."""
    migrate_once(url, migrate)


_factories: dict[int, sessionmaker] = {}


def open_store(url: str) -> sessionmaker:
    """Sessions on the process's one engine for `url`, the schema migrated once per process.
    Cheap enough per request; still, call it (or `ensure_schema`) at start-up."""
    ensure_schema(url)
    engine = shared_engine(url)
    factory = _factories.get(id(engine))
    if factory is None or factory.kw.get("bind") is not engine:
        factory = sessionmaker(engine, expire_on_commit=False)
        _factories[id(engine)] = factory
    return factory
