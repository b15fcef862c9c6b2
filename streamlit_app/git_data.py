"""Reads of the Git page: repo links, proposals, PRs, task status and inbox health.

Loaders take the app-store URL as their argument (the cache key), so a test pointing
AGENTOPS_DB_URL at tmp_path never sees another store's rows.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.changes.audit import AuditEntry, audit_trail
from agentops_pipelines.gitops.changes.proposals import Proposal, list_proposals
from agentops_pipelines.gitops.inbox.tables import IGNORED, PENDING, PROCESSED, WebhookInboxRow
from agentops_pipelines.gitops.links.repo_links import RepoLink, list_links
from agentops_pipelines.gitops.status.task_status import TaskStatus, task_statuses
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.db import open_store

CACHE_TTL_SECONDS = 10


class InboxHealth(BaseModel):
    """What the sensors have left to do: the cursor is the newest id they marked processed."""

    total: int = 0
    pending: int = 0
    ignored: int = 0
    last_processed_id: int | None = None
    last_processed_at: datetime | None = None
    last_received_at: datetime | None = None
    oldest_pending_at: datetime | None = None


class GitOverview(BaseModel):
    links: list[RepoLink]
    proposals: list[Proposal]
    tasks: list[TaskStatus]
    audit: list[AuditEntry]
    inbox: InboxHealth


def db_url() -> str:
    return get_settings().app_db_url


def sessions_for(url: str) -> sessionmaker:
    return open_store(url)  # the one factory: cached per process and URL


def inbox_health(sessions: sessionmaker) -> InboxHealth:
    row = WebhookInboxRow
    with sessions() as s:
        counts = dict(s.execute(select(row.status, func.count()).group_by(row.status)).all())
        last = s.execute(
            select(row.id, row.processed_at)
            .where(row.status == PROCESSED)
            .order_by(row.id.desc())
            .limit(1)
        ).first()
        return InboxHealth(
            total=sum(counts.values()),
            pending=counts.get(PENDING, 0),
            ignored=counts.get(IGNORED, 0),
            last_processed_id=last[0] if last else None,
            last_processed_at=last[1] if last else None,
            last_received_at=s.scalar(select(func.max(row.received_at))),
            oldest_pending_at=s.scalar(
                select(func.min(row.received_at)).where(row.status == PENDING)
            ),
        )


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_overview(url: str) -> GitOverview:
    sessions = sessions_for(url)
    return GitOverview(
        links=list_links(sessions),
        proposals=list_proposals(sessions),
        tasks=task_statuses(sessions),
        audit=audit_trail(sessions),
        inbox=inbox_health(sessions),
    )
