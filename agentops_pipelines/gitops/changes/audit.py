"""The audit trail of proposed changes: who did what, when, and why."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.gitops.change_tables import AuditRow


class AuditEntry(BaseModel):
    proposal_id: int
    actor: str
    action: str
    reason: str
    at: datetime


def record(session: Session, proposal_id: int, actor: str, action: str, reason: str) -> None:
    """Written in the caller's transaction, so a status change and its audit line land together."""
    session.add(
        AuditRow(
            proposal_id=proposal_id, actor=actor, action=action, reason=reason, at=datetime.now(UTC)
        )
    )


def audit_trail(sessions: sessionmaker, proposal_id: int | None = None) -> list[AuditEntry]:
    query = select(AuditRow).order_by(AuditRow.id)
    if proposal_id is not None:
        query = query.where(AuditRow.proposal_id == proposal_id)
    with sessions() as session:
        return [
            AuditEntry(
                proposal_id=r.proposal_id, actor=r.actor, action=r.action, reason=r.reason, at=r.at
            )
            for r in session.scalars(query)
        ]
