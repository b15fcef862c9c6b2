"""`agentops auth ...`: members, roles and API tokens, for whoever runs the deployment.

The CLI talks to the app store directly, so it is the bootstrap path: the first owner and their
first token come from here. A token is printed once and never again.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from agentops_pipelines.auth import audit, members, tokens
from agentops_pipelines.auth.roles import Role, parse_role
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.db import open_store

auth_app = typer.Typer(help="Members, roles and API tokens.", no_args_is_help=True)
token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
auth_app.add_typer(token_app, name="token")
console = Console()
CLI_ACTOR = "cli"


def _store():  # type: ignore[no-untyped-def]
    return open_store(get_settings().app_db_url)


def _workspace(value: str | None) -> str:
    return value or get_settings().workspace


@auth_app.command("member")
def member(
    subject: str = typer.Argument(..., help="email or login of the person"),
    role: str = typer.Argument(..., help=", ".join(r.value for r in Role)),
    workspace: str = typer.Option(None, help="default: AGENTOPS_WORKSPACE or 'default'"),
) -> None:
    """Add a member to a workspace or change their role."""
    try:
        parsed = parse_role(role)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="role") from None
    db, ws = _store(), _workspace(workspace)
    before = members.role_of(db, ws, subject)
    members.set_member(db, ws, subject, parsed, CLI_ACTOR)
    audit.record(
        db,
        workspace=ws,
        actor=CLI_ACTOR,
        via="cli",
        action="role.change",
        subject=f"member:{subject}",
        detail={"from": before.value if before else None, "to": parsed.value},
    )
    console.print(f"{subject} is {parsed.value} in workspace {ws}")


@token_app.command("create")
def create(
    name: str = typer.Option(..., help="what the token is for"),
    user: str = typer.Option(None, help="personal token of this member"),
    service: str = typer.Option(None, help="service token with this name (needs --role)"),
    role: str = typer.Option(None, help="role of a service token"),
    scopes: str = typer.Option("*", help="comma-separated: '*' or area:level, e.g. git:read"),
    days: int = typer.Option(30, help=f"days until it expires (1-{tokens.MAX_DAYS})"),
    workspace: str = typer.Option(None, help="default: AGENTOPS_WORKSPACE or 'default'"),
) -> None:
    """Create a token and print it once."""
    if bool(user) == bool(service):
        raise typer.BadParameter("give either --user (personal) or --service (service token)")
    db, ws = _store(), _workspace(workspace)
    try:
        issued = tokens.issue(
            db,
            kind="personal" if user else "service",
            name=name,
            workspace=ws,
            subject=user or f"service:{service}",
            scopes=[s.strip() for s in scopes.split(",") if s.strip()],
            days=days,
            created_by=CLI_ACTOR,
            role=parse_role(role) if role else None,
        )
    except ValueError as err:
        raise typer.BadParameter(str(err)) from None
    audit.record(
        db,
        workspace=ws,
        actor=CLI_ACTOR,
        via="cli",
        action="token.create",
        subject=f"token:{issued.prefix}",
        detail={"kind": issued.kind},
    )
    console.print(
        f"token {issued.id} for {issued.subject} in {ws}, expires {issued.expires_at:%Y-%m-%d}"
    )
    console.print("Store it now; it is not shown again:")
    typer.echo(issued.token)


@token_app.command("list")
def list_(workspace: str = typer.Option(None)) -> None:
    """Tokens of a workspace (never the secrets)."""
    table = Table(title="API tokens")
    for col in ("id", "prefix", "kind", "subject", "scopes", "expires", "revoked", "last used"):
        table.add_column(col, overflow="fold")
    for t in tokens.list_tokens(_store(), _workspace(workspace)):
        table.add_row(
            str(t.id),
            t.prefix,
            t.kind,
            t.subject,
            ",".join(t.scopes),
            f"{t.expires_at:%Y-%m-%d}",
            f"{t.revoked_at:%Y-%m-%d}" if t.revoked_at else "",
            f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "",
        )
    console.print(table)


@token_app.command("revoke")
def revoke(token_id: int, workspace: str = typer.Option(None)) -> None:
    """Revoke a token at once."""
    db, ws = _store(), _workspace(workspace)
    try:
        done = tokens.revoke(db, ws, token_id)
    except LookupError as err:
        raise typer.BadParameter(str(err), param_hint="token_id") from None
    audit.record(
        db,
        workspace=ws,
        actor=CLI_ACTOR,
        via="cli",
        action="token.revoke",
        subject=f"token:{done.prefix}",
    )
    console.print(f"token {token_id} ({done.prefix}...) revoked")


@auth_app.command("release-seat")
def release_seat_command(
    subject: str = typer.Argument(..., help="email or login whose plan seat is freed"),
    workspace: str = typer.Option(None, help="default: AGENTOPS_WORKSPACE or 'default'"),
) -> None:
    """Free a user's plan seat (plan limits on) so another member can take it."""
    from agentops_pipelines.billing.limits import release_seat

    db, ws = _store(), _workspace(workspace)
    if not release_seat(db, ws, subject):
        typer.echo(
            f"{subject} holds no seat in workspace {ws}; the Billing page lists the holders",
            err=True,
        )
        raise typer.Exit(code=1)
    audit.record(
        db,
        workspace=ws,
        actor=CLI_ACTOR,
        via="cli",
        action="seat.release",
        subject=f"member:{subject}",
        detail={},
    )
    console.print(f"{subject}'s seat in workspace {ws} is free")
