"""The correlation ID of the current run or request, carried by a context variable.

A Dagster run binds its run ID, an API request its X-Request-ID (or a fresh one), a Streamlit
session its session ID; every log line written while bound carries it, so one grep follows a
request across processes (the API passes it on as a run tag or header).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_CORRELATION_ID: ContextVar[str | None] = ContextVar("agentops_correlation_id", default=None)


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def correlation_id() -> str | None:
    return _CORRELATION_ID.get()


@contextmanager
def bind_correlation_id(value: str | None = None) -> Iterator[str]:
    """Bind `value` (or a new ID) for the duration of the block, then restore the previous one."""
    bound = value or new_correlation_id()
    token = _CORRELATION_ID.set(bound)
    try:
        yield bound
    finally:
        _CORRELATION_ID.reset(token)


def set_correlation_id(value: str) -> None:
    """For entry points with no block to wrap (a Streamlit script run): bind until replaced."""
    _CORRELATION_ID.set(value)
