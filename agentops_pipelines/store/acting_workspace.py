"""Which workspace the current code acts for, without the ORM (engines read it too).

In order: the verified caller (API request, signed-in page), else a workspace named for a block
of domain work with `within(...)` (a CLI command given `--workspace`, a signed webhook once it
has matched its workspace), else the deployment's (AGENTOPS_WORKSPACE: Dagster runs and the CLI).
A verified caller always wins, so no domain code can widen a request to another workspace.

`system_scope()` is the cross-workspace context of the routers of signed deliveries (a Stripe
event names a customer, not a workspace). `store.scoping.across_workspaces(session)` is the other,
for the marketplace's public aggregates (download counts) and its fan-out to every fork.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from agentops_pipelines.auth.context import acting
from agentops_pipelines.settings import current_workspace

P = ParamSpec("P")
R = TypeVar("R")

SYSTEM = "*"
"""Not a workspace name (refused as one); row-level security lets it see every workspace."""

_named: ContextVar[str | None] = ContextVar("agentops_workspace_scope", default=None)


class WorkspaceNameError(ValueError):
    """A workspace name that cannot own rows."""


def checked_workspace(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or cleaned == SYSTEM or len(cleaned) > 200:
        raise WorkspaceNameError(
            f"workspace {name!r} is not a workspace name: use 1-200 characters other than '*'"
        )
    return cleaned


def active_workspace() -> str:
    named = _named.get()
    if named == SYSTEM:
        return SYSTEM
    principal = acting()
    if principal is not None:
        return checked_workspace(principal.workspace)
    if named is not None:
        return named
    return checked_workspace(current_workspace())


def is_system() -> bool:
    return _named.get() == SYSTEM


@contextmanager
def within(workspace: str) -> Iterator[str]:
    """Act for `workspace` in this block unless a verified caller is acting (the caller wins)."""
    token = _named.set(checked_workspace(workspace))
    try:
        yield active_workspace()
    finally:
        _named.reset(token)


@contextmanager
def system_scope() -> Iterator[None]:
    """Every workspace's rows, for the signed-delivery routers only; never under a caller."""
    if acting() is not None:
        raise RuntimeError("system_scope() is for signed deliveries, not a caller's request")
    with _system():
        yield


@contextmanager
def _system() -> Iterator[None]:
    """The system scope without the caller check: only for store.scoping.across_workspaces."""
    token = _named.set(SYSTEM)
    try:
        yield
    finally:
        _named.reset(token)


def for_workspace_argument(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a domain function that names its workspace (`workspace` argument) `within` it."""
    signature = inspect.signature(fn)
    if "workspace" not in signature.parameters:
        raise TypeError(f"{fn.__qualname__} has no `workspace` parameter to scope to")

    @functools.wraps(fn)
    def scoped(*args: P.args, **kwargs: P.kwargs) -> R:
        workspace = signature.bind_partial(*args, **kwargs).arguments.get("workspace")
        if not isinstance(workspace, str):
            return fn(*args, **kwargs)
        with within(workspace):
            return fn(*args, **kwargs)

    return scoped
