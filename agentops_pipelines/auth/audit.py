"""The one append-only audit trail: who did what, when, through which credential, on what.

Rows are only ever inserted; the database refuses UPDATE and DELETE on `audit_log` (triggers
from migration auth_0001), so a bug or a hostile admin cannot rewrite history through the app.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, DateTime, Integer, String, column, insert, select, table
from sqlalchemy.orm import Session, sessionmaker

_log = table(
    "audit_log",
    column("id", Integer),
    column("at", DateTime(timezone=True)),
    column("workspace", String),
    column("actor", String),
    column("via", String),
    column("action", String),
    column("subject", String),
    column("detail", JSON),
)
CSV_COLUMNS = ("id", "at", "workspace", "actor", "via", "action", "subject", "detail")


class AuditEvent(BaseModel):
    id: int
    at: datetime
    workspace: str
    actor: str
    via: str
    action: str
    subject: str
    detail: dict[str, Any] | None


def record(
    target: sessionmaker | Session,
    *,
    workspace: str,
    actor: str,
    action: str,
    subject: str,
    via: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one event; with a Session it joins the caller's transaction (same commit)."""
    values = {
        "at": datetime.now(UTC),
        "workspace": workspace,
        "actor": actor,
        "via": via,
        "action": action,
        "subject": subject[:500],
        "detail": detail,
    }
    if isinstance(target, Session):
        target.execute(insert(_log).values(**values))
        return
    with target.begin() as session:
        session.execute(insert(_log).values(**values))


def record_acting(
    target: sessionmaker | Session,
    *,
    actor: str,
    action: str,
    subject: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one event for the acting workspace and credential (the verified caller's token or
    session; `local` for the CLI and the pipelines, which act for the deployment)."""
    from agentops_pipelines.auth.context import acting
    from agentops_pipelines.store.acting_workspace import SYSTEM, active_workspace

    principal = acting()
    workspace = active_workspace()
    if workspace == SYSTEM:
        raise RuntimeError(f"{action}: an audited change needs a workspace, not the system scope")
    record(
        target,
        workspace=workspace,
        actor=principal.subject if principal is not None else actor,
        via=principal.via if principal is not None else "local",
        action=action,
        subject=subject,
        detail=detail,
    )


def events(
    sessions: sessionmaker, workspace: str, action: str | None = None, limit: int = 10_000
) -> list[AuditEvent]:
    query = select(_log).where(_log.c.workspace == workspace).order_by(_log.c.id).limit(limit)
    if action:
        query = query.where(_log.c.action == action)
    with sessions() as session:
        rows = session.execute(query).mappings().all()
    return [
        AuditEvent(
            **{**row, "at": row["at"] if row["at"].tzinfo else row["at"].replace(tzinfo=UTC)}
        )
        for row in rows
    ]


def to_csv(found: list[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for event in found:
        row = event.model_dump(mode="json")
        row["detail"] = json.dumps(row["detail"], sort_keys=True) if row["detail"] else ""
        writer.writerow([row[c] for c in CSV_COLUMNS])
    return out.getvalue()
