"""Which inbox deliveries ask for a review: `pull_request` opened / synchronize / reopened on a
linked repository. The last delivery of a PR in a batch wins (its head is the one to review)."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.inbox.events import PullRequestEvent
from agentops_pipelines.gitops.inbox.reader import InboxRow
from agentops_pipelines.gitops.inbox.tables import WebhookInboxRow
from agentops_pipelines.gitops.links.repo_links import RepoLink

ACTIONS = frozenset({"opened", "synchronize", "reopened"})


class ReviewRequest(BaseModel):
    key: str
    delivery_id: str
    event: PullRequestEvent


class Skipped(BaseModel):
    delivery_id: str
    reason: str


def review_requests(
    rows: list[InboxRow], links: list[RepoLink]
) -> tuple[dict[str, ReviewRequest], list[Skipped]]:
    linked = {link.repo.lower() for link in links}
    wanted: dict[str, ReviewRequest] = {}
    skipped: list[Skipped] = []
    for row in rows:
        if row.event != "pull_request" or row.action not in ACTIONS:
            continue
        try:
            event = PullRequestEvent.model_validate(row.payload)
        except ValidationError as err:
            skipped.append(
                Skipped(delivery_id=row.delivery_id, reason=f"not a valid payload: {err}")
            )
            continue
        repo = event.repository.full_name
        if repo.lower() not in linked:
            skipped.append(Skipped(delivery_id=row.delivery_id, reason=f"{repo} is not linked"))
            continue
        key = f"{repo}#{event.pull_request.number}"
        wanted[key] = ReviewRequest(key=key, delivery_id=row.delivery_id, event=event)
    return wanted, skipped


def latest_request(sessions: sessionmaker, key: str) -> ReviewRequest | None:
    """The newest reviewable delivery of a PR key, for a run started by hand without config."""
    repo, _, number = key.rpartition("#")
    query = (
        select(WebhookInboxRow)
        .where(WebhookInboxRow.event == "pull_request", WebhookInboxRow.action.in_(sorted(ACTIONS)))
        .order_by(WebhookInboxRow.id.desc())
    )
    with sessions() as session:
        for row in session.scalars(query):
            try:
                event = PullRequestEvent.model_validate_json(row.payload)
            except ValidationError:
                continue
            if (
                event.repository.full_name.lower() == repo.lower()
                and str(event.pull_request.number) == number
            ):
                return ReviewRequest(key=key, delivery_id=row.delivery_id, event=event)
    return None


def request_for(sessions: sessionmaker, key: str, delivery_id: str = "") -> ReviewRequest | None:
    """The delivery named by the run (sensor runs), else the PR's newest reviewable one."""
    if delivery_id:
        with sessions() as session:
            row = session.scalar(
                select(WebhookInboxRow).where(WebhookInboxRow.delivery_id == delivery_id)
            )
        if row is not None:
            event = PullRequestEvent.model_validate_json(row.payload)
            return ReviewRequest(key=key, delivery_id=delivery_id, event=event)
    return latest_request(sessions, key)
