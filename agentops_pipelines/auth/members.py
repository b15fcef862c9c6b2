"""Who belongs to which workspace, with which role."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.auth.roles import Role
from agentops_pipelines.auth.tables import MemberRow

# Names the system itself acts under (seed templates' author, automatic moderation): nobody may
# sign in as them, or a member could claim the seed templates.
RESERVED_SUBJECTS = frozenset({"agentops", "automod", "system", "anonymous", "moderator"})


class Member(BaseModel):
    workspace: str
    subject: str
    role: Role
    added_by: str


def set_member(
    sessions: sessionmaker, workspace: str, subject: str, role: Role, added_by: str
) -> Member:
    subject, workspace = subject.strip(), workspace.strip()
    if not subject or not workspace:
        raise ValueError("a member needs a workspace and a subject (email or login)")
    if subject.lower() in RESERVED_SUBJECTS:
        raise ValueError(f"{subject!r} is a reserved name; members are people or services")
    with sessions.begin() as session:
        row = session.get(MemberRow, (workspace, subject))
        if row is None:
            row = MemberRow(workspace=workspace, subject=subject, added_at=datetime.now(UTC))
            session.add(row)
        row.role, row.added_by = role.value, added_by
    return Member(workspace=workspace, subject=subject, role=role, added_by=added_by)


def remove_member(sessions: sessionmaker, workspace: str, subject: str) -> bool:
    with sessions.begin() as session:
        row = session.get(MemberRow, (workspace, subject))
        if row is None:
            return False
        session.delete(row)
        return True


def role_of(sessions: sessionmaker, workspace: str, subject: str) -> Role | None:
    if subject.lower() in RESERVED_SUBJECTS:
        return None
    with sessions() as session:
        row = session.get(MemberRow, (workspace, subject))
        return Role(row.role) if row is not None else None


def workspaces_of(sessions: sessionmaker, subject: str) -> list[str]:
    with sessions() as session:
        query = select(MemberRow.workspace).where(MemberRow.subject == subject)
        return sorted(session.scalars(query))


def list_members(sessions: sessionmaker, workspace: str) -> list[Member]:
    with sessions() as session:
        rows = session.scalars(
            select(MemberRow).where(MemberRow.workspace == workspace).order_by(MemberRow.subject)
        )
        return [
            Member(workspace=r.workspace, subject=r.subject, role=Role(r.role), added_by=r.added_by)
            for r in rows
        ]
