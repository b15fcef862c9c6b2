"""Workspace scoping of app-store rows, in one place.

A table whose ORM class mixes in `WorkspaceScoped` carries `workspace_id`: new rows get the
acting workspace, and every ORM SELECT, UPDATE and DELETE through a Session is narrowed to it
(SQLAlchemy `with_loader_criteria`), so a query that forgets the filter still sees only its own
workspace. On PostgreSQL, row-level security backs this: each transaction sets
`agentops.workspace` and the tables' policies (migration gitops_0003) allow only that workspace's
rows, even to raw SQL.

The acting workspace is the verified caller's (API request, signed-in page), else the
deployment's (AGENTOPS_WORKSPACE, for Dagster runs and the CLI).
"""

from __future__ import annotations

from sqlalchemy import String, event, text
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, with_loader_criteria

from agentops_pipelines.auth.context import acting
from agentops_pipelines.settings import current_workspace

WORKSPACE_SETTING = "agentops.workspace"


def active_workspace() -> str:
    principal = acting()
    return principal.workspace if principal is not None else current_workspace()


class WorkspaceScoped:
    """Mixin: the row belongs to one workspace."""

    workspace_id: Mapped[str] = mapped_column(
        String(200), default=lambda: active_workspace(), server_default="default", index=True
    )


@event.listens_for(Session, "do_orm_execute")
def _narrow_to_workspace(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    workspace = active_workspace()
    state.statement = state.statement.options(
        with_loader_criteria(
            WorkspaceScoped,
            lambda cls: cls.workspace_id == workspace,
            include_aliases=True,
            track_closure_variables=True,
        )
    )


@event.listens_for(Session, "after_begin")
def _set_row_security_workspace(session: Session, _transaction, connection) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL policies read this per-transaction setting (set_config(..., true) = LOCAL)."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("select set_config(:name, :workspace, true)"),
            {"name": WORKSPACE_SETTING, "workspace": active_workspace()},
        )
