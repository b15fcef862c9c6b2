"""What one scoring run works out once: scoring a repository's N specs reads the same test
files and the same spec catalogue N times, so inside `one_run()` the repository walk and the
catalogue are computed once per root, and per-file extracts (markers, comments, contexts) are
cached by the file's content. Outside a run nothing is kept, so a change is always seen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
_MEMO: ContextVar[dict[tuple[str, Any], Any] | None] = ContextVar("qa_run_memo", default=None)


@contextmanager
def one_run() -> Iterator[None]:
    """Scope of one scoring run (nested runs share the outer one)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def memo(kind: str, key: Any, compute: Callable[[], T]) -> T:
    """`compute()` once per (kind, key) inside a run; every time outside one."""
    store = _MEMO.get()
    if store is None:
        return compute()
    if (kind, key) not in store:
        store[(kind, key)] = compute()
    return store[(kind, key)]  # type: ignore[no-any-return]
