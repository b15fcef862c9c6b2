"""Workspace scoping of app-store rows, in one place.

Two mixins mark a table as owned by a workspace:
- `WorkspaceScoped`: the table's `workspace_id` column (new rows get the acting workspace);
- `WorkspaceKeyed`: the table's own `workspace` column (billing, marketplace, SpecGPT and the
  router ledger named their owner before scoping existed; the domain code sets it).

Every ORM SELECT, UPDATE and DELETE through a Session is narrowed to the acting workspace
(SQLAlchemy `with_loader_criteria`), so a query that forgets the filter still sees only its own
workspace. On PostgreSQL, row-level security backs this for Core and raw SQL as well: every
transaction of an app-store engine sets `agentops.workspace` (store/engine.py) and the tables'
policies (migrations gitops_0003, workspace_0002) allow only that workspace's rows.

The acting workspace is the verified caller's, else one named by `within(...)`, else the
deployment's (AGENTOPS_WORKSPACE); see store/acting_workspace.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import String, event, text
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, with_loader_criteria

from agentops_pipelines.store.acting_workspace import (
    _system,
    active_workspace,
    is_system,
    system_scope,
    within,
)

WORKSPACE_SETTING = "agentops.workspace"

__all__ = [
    "WORKSPACE_SETTING",
    "WorkspaceKeyed",
    "WorkspaceScoped",
    "across_workspaces",
    "active_workspace",
    "system_scope",
    "within",
]


class WorkspaceScoped:
    """Mixin: the row belongs to one workspace (`workspace_id`)."""

    workspace_id: Mapped[str] = mapped_column(
        String(200), default=lambda: active_workspace(), server_default="default", index=True
    )


class WorkspaceKeyed:
    """Mixin: the row's own `workspace` column names its owner; scoped like WorkspaceScoped.
    A table may declare the column itself (nullable, unique, primary key) over this default."""

    workspace: Mapped[str] = mapped_column(String(200), index=True)


@event.listens_for(Session, "do_orm_execute")
def _narrow_to_workspace(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if is_system():
        return
    workspace = active_workspace()
    state.statement = state.statement.options(
        with_loader_criteria(
            WorkspaceScoped,
            lambda cls: cls.workspace_id == workspace,
            include_aliases=True,
            track_closure_variables=True,
        ),
        with_loader_criteria(
            WorkspaceKeyed,
            lambda cls: cls.workspace == workspace,
            include_aliases=True,
            track_closure_variables=True,
        ),
    )


@contextmanager
def across_workspaces(session: Session) -> Iterator[None]:
    """Every workspace's rows, inside `session`'s transaction, for what the marketplace does for
    all workspaces at once: public counts (downloads, forks) and notifying every fork of a new
    version. Not for reading another workspace's rows back to a caller."""
    on_postgres = session.get_bind().dialect.name == "postgresql"
    outer = active_workspace()
    with _system():
        if on_postgres:
            session.execute(text("select set_config(:n, '*', true)"), {"n": WORKSPACE_SETTING})
        try:
            yield
        finally:
            if on_postgres:
                session.execute(
                    text("select set_config(:n, :w, true)"),
                    {"n": WORKSPACE_SETTING, "w": outer},
                )


class ForeignWorkspaceWrite(PermissionError):
    """A row of another workspace was about to be written."""


@event.listens_for(Session, "before_flush")
def _refuse_foreign_rows(session: Session, _context, _instances) -> None:  # type: ignore[no-untyped-def]
    """Inserts and updates are checked too (on SQLite nothing else would): a row is written
    only for the acting workspace, whatever a caller put in its workspace column."""
    if is_system():
        return
    workspace = active_workspace()
    for row in (*session.new, *session.dirty):
        if isinstance(row, WorkspaceScoped):
            owner = row.workspace_id
        elif isinstance(row, WorkspaceKeyed):
            owner = row.workspace
        else:
            continue
        if owner is not None and owner != workspace:
            raise ForeignWorkspaceWrite(
                f"{type(row).__name__} of workspace {owner!r} cannot be written while acting "
                f"for {workspace!r}; act for that workspace (its token, or within(...))"
            )
