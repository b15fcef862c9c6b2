"""Git hub endpoints: repo links, proposed changes and their approval, task status.

Approving here pushes exactly as the Streamlit Git page does (gitops.approve_and_push.review). The
reviewer is the `X-AgentOps-User` header, as elsewhere in the API.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.api.auth_layer import principal_of
from agentops_pipelines.api.deps import get_settings
from agentops_pipelines.api.errors import (
    BAD_BODY,
    MAX_ID,
    VALIDATION,
    MessageError,
    all_utc,
    as_utc,
)
from agentops_pipelines.auth import audit
from agentops_pipelines.connect.minted import app_push
from agentops_pipelines.gitops.approve_and_push import review
from agentops_pipelines.gitops.changes.approval import ApprovalError, ProposalNotFound
from agentops_pipelines.gitops.changes.audit import AuditEntry, audit_trail
from agentops_pipelines.gitops.changes.proposals import Proposal, get_proposal, list_proposals
from agentops_pipelines.gitops.hosts.base import GitHostError
from agentops_pipelines.gitops.links.remote_policy import check_remote
from agentops_pipelines.gitops.links.repo_links import (
    RepoLink,
    link_for_repo,
    list_links,
    save_link,
)
from agentops_pipelines.gitops.status.task_status import TaskStatus, task_statuses
from agentops_pipelines.settings import Settings
from agentops_pipelines.store.db import open_store

router = APIRouter(prefix="/api/git", tags=["git"])
SettingsDep = Annotated[Settings, Depends(get_settings)]
ProposalId = Annotated[int, Path(ge=0, le=MAX_ID, description="Id from GET /api/git/proposals")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": MessageError, "description": "No proposal with that id"}
}


def sessions(settings: SettingsDep) -> sessionmaker:
    return open_store(settings.app_db_url)  # the one factory: cached per process and URL


SessionsDep = Annotated[sessionmaker, Depends(sessions)]


class Decision(BaseModel):
    approve: bool
    reason: str = Field(min_length=1, description="Why; recorded in the audit table")


@router.get("/links", summary="Linked repositories")
def get_links(db: SessionsDep) -> list[RepoLink]:
    return all_utc(list_links(db))


@router.put(
    "/links",
    summary="Link a repository (replaces its previous link)",
    responses={**BAD_BODY, **VALIDATION},
)
def put_link(link: RepoLink, db: SessionsDep, request: Request) -> RepoLink:
    """Admins only (auth.policy); the remote must be https on an allowed host; audited."""
    before = link_for_repo(db, link.repo)
    try:
        check_remote(link.remote_url)
        saved = save_link(db, link)
    except ValueError as err:  # RemoteRefused is a ValueError too
        raise HTTPException(status_code=422, detail=str(err)) from None
    principal = principal_of(request)
    audit.record(
        db,
        workspace=principal.workspace,
        actor=principal.subject,
        via=principal.via,
        action="link.change",
        subject=f"repo:{link.repo}",
        detail={"from": before.remote_url if before else None, "to": link.remote_url},
    )
    return as_utc(saved)


@router.get("/proposals", summary="Proposed changes, newest first")
def get_proposals(db: SessionsDep, status: str | None = None) -> list[Proposal]:
    return all_utc(list_proposals(db, status))


@router.get(
    "/proposals/{proposal_id}", summary="One proposed change with its diff", responses=NOT_FOUND
)
def get_one(proposal_id: ProposalId, db: SessionsDep) -> Proposal:
    try:
        return as_utc(get_proposal(db, proposal_id))
    except LookupError as err:
        raise HTTPException(status_code=404, detail=str(err)) from None


@router.get("/proposals/{proposal_id}/audit", summary="Decisions and pushes of a proposal")
def get_audit(proposal_id: ProposalId, db: SessionsDep) -> list[AuditEntry]:
    return all_utc(audit_trail(db, proposal_id))


@router.post(
    "/proposals/{proposal_id}/decision",
    summary="Approve (then push) or reject a proposed change",
    responses={
        **BAD_BODY,
        404: {"model": MessageError, "description": "No such proposal in this workspace"},
        409: {
            "model": MessageError,
            "description": "Not in a state that can be decided, or no reviewer",
        },
        502: {"model": MessageError, "description": "GitHub refused to mint the App's token"},
    },
)
def post_decision(
    proposal_id: ProposalId,
    decision: Decision,
    db: SessionsDep,
    settings: SettingsDep,
    request: Request,
    x_agentops_user: Annotated[str, Header(description="The reviewer")] = "",
) -> Proposal:
    try:
        host, config = (None, None)
        if decision.approve:  # the workspace's GitHub App, when connected: a token for this push
            host, config = app_push(db, principal_of(request).workspace, settings.home)
        decided = review(
            db,
            proposal_id,
            approve=decision.approve,
            actor=x_agentops_user,
            reason=decision.reason,
            home=settings.home,
            host=host,
            config=config,
        )
    except ApprovalError as err:
        status = 404 if isinstance(err, ProposalNotFound) else 409
        raise HTTPException(status_code=status, detail=str(err)) from None
    except GitHostError as err:  # the App token could not be minted: nothing was decided
        raise HTTPException(status_code=502, detail=str(err)) from None
    return as_utc(decided)


@router.get("/tasks", summary="Task status synced from the Git host")
def get_tasks(db: SessionsDep, spec_id: str | None = None) -> list[TaskStatus]:
    return all_utc(task_statuses(db, spec_id))
