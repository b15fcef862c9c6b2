"""`agentops db`: schema changes of the app store as a deploy step, never inside a request.

Run `agentops db upgrade` once per release, before the new API, receiver, Streamlit and code
server start (compose: the `migrate` service; Kubernetes: the `agentops-migrate` Job). The
processes then find the schema at its heads and only read Alembic's version table.
"""

from __future__ import annotations

import typer

db_app = typer.Typer(help="App store schema (Alembic): run as a deploy step.", no_args_is_help=True)


def _redacted(url: str) -> str:
    """The URL as printed: never its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@db_app.command("upgrade")
def upgrade(
    url: str = typer.Option(None, help="SQLAlchemy URL (default: AGENTOPS_DB_URL / settings)"),
) -> None:
    """Bring every Alembic branch of the app store to its head (idempotent)."""
    from agentops_pipelines.settings import get_settings
    from agentops_pipelines.store.db import migrate, schema_heads

    target = url or get_settings().app_db_url
    try:
        migrate(target)
    except Exception as err:  # noqa: BLE001 - one actionable line for the operator
        first_line = str(err).splitlines()[0] if str(err) else ""
        typer.echo(
            f"migration of {_redacted(target)} failed: {type(err).__name__}: {first_line}\n"
            "Check that the database is reachable and that the user may create tables.",
            err=True,
        )
        raise typer.Exit(code=1) from None
    typer.echo(f"app store {_redacted(target)} at heads: {', '.join(schema_heads(target))}")


@db_app.command("current")
def current(
    url: str = typer.Option(None, help="SQLAlchemy URL (default: AGENTOPS_DB_URL / settings)"),
) -> None:
    """Print the revisions the database is at (empty before the first upgrade)."""
    from agentops_pipelines.settings import get_settings
    from agentops_pipelines.store.db import schema_heads

    target = url or get_settings().app_db_url
    typer.echo(", ".join(schema_heads(target)) or "(no schema yet)")
