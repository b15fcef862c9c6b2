"""One engine per process per database URL, and the schema migrated once per process.

Alembic's `command.upgrade` is not thread-safe (it swaps module-level context), and it costs
tens of milliseconds even when there is nothing to do; building an engine per request also
throws its connection pool away. So a process migrates a URL once (under a lock, at start-up:
the API factory, the CLI, the receiver) and every later `open_store` reuses the same engine.

A forked child forgets the parent's engines (their pooled connections belong to the parent) and
builds its own on first use.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from sqlalchemy import Engine

from agentops_pipelines.store.engine import make_engine

_lock = threading.RLock()
_engines: dict[tuple[str, str], Engine] = {}
_migrated: dict[str, tuple[int, int] | None] = {}


def shared_engine(
    url: str, role: str = "default", configure: Callable[[Engine], None] | None = None
) -> Engine:
    """The process's engine for `url` (a `role` other than "default" gets its own, configured
    once by `configure`, e.g. the LLM budget engine that BEGINs IMMEDIATE)."""
    key = (url, role)
    engine = _engines.get(key)
    if engine is not None:
        return engine
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = make_engine(url)
            if configure is not None:
                configure(engine)
            _engines[key] = engine
    return engine


def _sqlite_identity(url: str) -> tuple[int, int] | None:
    """(device, inode) of a SQLite file, so a deleted and re-created database migrates again."""
    if not url.startswith("sqlite:///"):
        return None
    try:
        st = os.stat(url.removeprefix("sqlite:///"))
    except OSError:
        return (-1, -1)
    return (st.st_dev, st.st_ino)


def migrate_once(url: str, migrate: Callable[[str], None]) -> None:
    """Run `migrate(url)` unless this process already did for this database."""
    identity = _sqlite_identity(url)
    if url in _migrated and _migrated[url] == identity and identity != (-1, -1):
        return
    with _lock:
        identity = _sqlite_identity(url)
        if url in _migrated and _migrated[url] == identity and identity != (-1, -1):
            return
        migrate(url)
        _migrated[url] = _sqlite_identity(url)


def forget() -> None:
    """Drop cached engines without closing the parent's connections (after fork, or in tests)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose(close=False)
        _engines.clear()
        _migrated.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=forget)
