"""Row-level security on PostgreSQL for workspace-owned tables, used by the domain migrations.

A policy lets a transaction see and write only rows whose owner column equals the transaction's
`agentops.workspace` setting (every app-store transaction sets it: store/engine.py). `*` is the
signed-delivery routers' system scope (store/acting_workspace.py), never a workspace name. A
transaction that names no workspace sees nothing. Superusers and BYPASSRLS roles skip policies:
the app connects as an ordinary role.
"""

from __future__ import annotations

from alembic import op

_SETTING = "current_setting('agentops.workspace', true)"


def _check(column: str) -> str:
    return f"({column} = {_SETTING} OR {_SETTING} = '*')"


def enable(table: str, column: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY workspace_isolation ON {table} "
        f"USING {_check(column)} WITH CHECK {_check(column)}"
    )


def disable(table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP POLICY IF EXISTS workspace_isolation ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
