"""Forks: a workspace's copy of a template, pinned to the upstream version it came from.

When upstream publishes a higher version every fork behind it gets a notification row, and the
fork can show the diff between its pinned version and the new one before pulling it in.
"""

from __future__ import annotations

import difflib
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from agentops_pipelines.marketplace.catalog import (
    EntitlementCheck,
    SessionFactory,
    published_version,
    require_entitlement,
    template_row,
    version_rows,
)
from agentops_pipelines.marketplace.errors import NotFound
from agentops_pipelines.marketplace.models import Status, semver_key
from agentops_pipelines.marketplace.tables import ForkRow, NotificationRow, TemplateRow, utcnow
from agentops_pipelines.store.acting_workspace import for_workspace_argument
from agentops_pipelines.store.scoping import across_workspaces


class ForkInfo(BaseModel):
    id: int
    slug: str
    title: str
    workspace: str
    upstream_version: str
    latest_version: str | None
    forked_by: str
    created_at: datetime

    @property
    def behind(self) -> bool:
        return bool(self.latest_version) and semver_key(self.latest_version or "") > semver_key(
            self.upstream_version
        )


class Notification(BaseModel):
    id: int
    workspace: str
    slug: str
    from_version: str
    to_version: str
    created_at: datetime
    read: bool


@for_workspace_argument
def fork(
    sf: SessionFactory,
    slug: str,
    workspace: str,
    user: str,
    entitled: EntitlementCheck | None = None,
) -> ForkInfo:
    """Copy the latest published version into the workspace (once; a second call returns it)."""
    with sf.begin() as session:
        template = template_row(session, slug)
        if template.status != Status.PUBLISHED.value:
            raise NotFound(f"template {slug!r} is not published; only published ones can be forked")
        require_entitlement(template, workspace, user, entitled)
        row = session.scalar(
            select(ForkRow).where(
                ForkRow.template_id == template.id, ForkRow.workspace == workspace
            )
        )
        if row is None:
            version = published_version(session, template, None)
            row = ForkRow(
                template_id=template.id,
                upstream_version=version.version,
                workspace=workspace,
                forked_by=user,
                content=version.content,
                created_at=utcnow(),
            )
            session.add(row)
            session.flush()
        return _info(row, template)


def _info(row: ForkRow, template: TemplateRow) -> ForkInfo:
    return ForkInfo(
        id=row.id,
        slug=template.slug,
        title=template.title,
        workspace=row.workspace,
        upstream_version=row.upstream_version,
        latest_version=template.latest_version,
        forked_by=row.forked_by,
        created_at=row.created_at,
    )


def notify_forks(session: Session, template: TemplateRow, new_version: str) -> int:
    """Runs inside the publishing transaction: a publish and its notifications land together.
    Forks live in every workspace that took one, so this fan-out spans workspaces."""
    count = 0
    with across_workspaces(session):
        forks = session.scalars(select(ForkRow).where(ForkRow.template_id == template.id)).all()
        for f in forks:
            if semver_key(new_version) > semver_key(f.upstream_version):
                session.add(
                    NotificationRow(
                        workspace=f.workspace,
                        fork_id=f.id,
                        template_id=template.id,
                        from_version=f.upstream_version,
                        to_version=new_version,
                        created_at=utcnow(),
                    )
                )
                count += 1
        session.flush()  # written while the transaction may write every workspace's rows
    return count


@for_workspace_argument
def list_forks(sf: SessionFactory, workspace: str) -> list[ForkInfo]:
    with sf() as session:
        rows = session.execute(
            select(ForkRow, TemplateRow)
            .join(TemplateRow, TemplateRow.id == ForkRow.template_id)
            .where(ForkRow.workspace == workspace)
            .order_by(TemplateRow.title)
        ).all()
    return [_info(f, t) for f, t in rows]


@for_workspace_argument
def notifications(
    sf: SessionFactory, workspace: str, unread_only: bool = True
) -> list[Notification]:
    query = (
        select(NotificationRow, TemplateRow.slug)
        .join(TemplateRow, TemplateRow.id == NotificationRow.template_id)
        .where(NotificationRow.workspace == workspace)
        .order_by(NotificationRow.id.desc())
    )
    if unread_only:
        query = query.where(NotificationRow.read_at.is_(None))
    with sf() as session:
        rows = session.execute(query).all()
    return [
        Notification(
            id=n.id,
            workspace=n.workspace,
            slug=s,
            from_version=n.from_version,
            to_version=n.to_version,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n, s in rows
    ]


def _fork_row(session: Session, slug: str, workspace: str) -> tuple[ForkRow, TemplateRow]:
    template = template_row(session, slug)
    row = session.scalar(
        select(ForkRow).where(ForkRow.template_id == template.id, ForkRow.workspace == workspace)
    )
    if row is None:
        raise NotFound(f"workspace {workspace!r} has no fork of {slug!r}; fork it first")
    return row, template


@for_workspace_argument
def fork_diff(sf: SessionFactory, slug: str, workspace: str, to_version: str | None = None) -> str:
    """Unified diff from the fork's pinned upstream version to `to_version` (default: latest)."""
    with sf() as session:
        row, template = _fork_row(session, slug, workspace)
        versions = {v.version: v for v in version_rows(session, template.id)}
        old = versions[row.upstream_version].content
        new = published_version(session, template, to_version)
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.content.splitlines(keepends=True),
            fromfile=f"{slug}@{row.upstream_version}",
            tofile=f"{slug}@{new.version}",
        )
    )


@for_workspace_argument
def update_fork(sf: SessionFactory, slug: str, workspace: str) -> ForkInfo:
    """Pull the latest published version into the fork and mark its notifications read."""
    with sf.begin() as session:
        row, template = _fork_row(session, slug, workspace)
        latest = published_version(session, template, None)
        row.upstream_version, row.content = latest.version, latest.content
        for n in session.scalars(
            select(NotificationRow).where(
                NotificationRow.fork_id == row.id, NotificationRow.read_at.is_(None)
            )
        ):
            n.read_at = utcnow()
        return _info(row, template)
