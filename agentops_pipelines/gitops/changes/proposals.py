"""Proposed changes: what AgentOps would push for a spec, held until a human approves it.

A proposal is built from the `generated_code` workspace when codegen ran, else from the plan's
task checklist as Markdown, and stored with its diff and evidence. Re-proposing the same content
changes nothing; new content sends an approved or pushed proposal back to review.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.change_tables import APPROVED, PROPOSED, PUSHED, ProposalRow
from agentops_pipelines.gitops.changes.audit import record

Source = Literal["generated_code", "plan_checklist", "spec_suggestion"]


class ProposedFile(BaseModel):
    path: str
    content: str | None = Field(description="new UTF-8 content; None deletes the file")


class ProposedChange(BaseModel):
    spec_id: str
    repo: str
    base: str
    branch: str
    title: str
    summary: str = ""
    source: Source
    task_ids: list[str]
    requirement_ids: list[str] = Field(default_factory=list)
    files: list[ProposedFile]
    diff: str = ""
    evidence: dict[str, Any] = Field(default_factory=dict)

    def content_hash(self) -> str:
        """What a reviewer approves: the files, the branch and the target (not the evidence)."""
        body = json.dumps(
            [self.repo, self.base, self.branch, [f.model_dump() for f in self.files]],
            sort_keys=True,
        )
        return hashlib.sha256(body.encode()).hexdigest()


class Proposal(ProposedChange):
    id: int
    status: str
    commit_sha: str | None = None
    pr_number: int | None = None
    pr_url: str | None = None
    pr_state: str | None = None
    checks_state: str | None = None
    error: str | None = None
    created_at: datetime
    updated_at: datetime


def unified_diff(files: list[ProposedFile], base_content: Callable[[str], str | None]) -> str:
    """One git-style diff over every file against its content on the base branch."""
    chunks: list[str] = []
    for f in files:
        old = base_content(f.path)
        lines = difflib.unified_diff(
            (old or "").splitlines(keepends=True),
            (f.content or "").splitlines(keepends=True),
            fromfile="/dev/null" if old is None else f"a/{f.path}",
            tofile="/dev/null" if f.content is None else f"b/{f.path}",
        )
        chunks.append("".join(line if line.endswith("\n") else line + "\n" for line in lines))
    return "".join(chunks)


def to_model(row: ProposalRow) -> Proposal:
    data = {c.name: getattr(row, c.name) for c in ProposalRow.__table__.columns}
    data["task_ids"] = json.loads(row.task_ids)
    data["files"] = json.loads(row.files)
    evidence = json.loads(row.evidence)
    data["evidence"] = evidence
    data["requirement_ids"] = evidence.get("requirement_ids", [])
    data["summary"] = evidence.get("summary", "")
    return Proposal.model_validate(data)


def upsert_proposal(sessions: sessionmaker, change: ProposedChange) -> tuple[Proposal, str]:
    """Store the change; returns the proposal and `created`, `updated` or `unchanged`."""
    now = datetime.now(UTC)
    digest = change.content_hash()
    evidence = change.evidence | {
        "requirement_ids": change.requirement_ids,
        "summary": change.summary,
    }
    with sessions.begin() as session:
        row = session.scalar(
            select(ProposalRow).where(
                ProposalRow.spec_id == change.spec_id, ProposalRow.branch == change.branch
            )
        )
        outcome = "updated"
        if row is None:
            row = ProposalRow(spec_id=change.spec_id, branch=change.branch, created_at=now)
            session.add(row)
            outcome = "created"
        elif row.content_hash == digest:
            row.evidence = json.dumps(evidence, sort_keys=True, default=str)
            session.flush()
            return to_model(row), "unchanged"
        previous = row.status
        row.repo, row.base, row.title, row.source = (
            change.repo,
            change.base,
            change.title,
            change.source,
        )
        row.task_ids = json.dumps(change.task_ids)
        row.files = json.dumps([f.model_dump() for f in change.files])
        row.diff = change.diff
        row.evidence = json.dumps(evidence, sort_keys=True, default=str)
        row.content_hash = digest
        row.status = PROPOSED
        row.error = None
        row.updated_at = now
        session.flush()
        if outcome == "updated" and previous in (APPROVED, PUSHED):
            record(session, row.id, "agentops", "reproposed", f"new content after {previous}")
        return to_model(row), outcome


def list_proposals(sessions: sessionmaker, status: str | None = None) -> list[Proposal]:
    query = select(ProposalRow).order_by(ProposalRow.updated_at.desc(), ProposalRow.id.desc())
    if status:
        query = query.where(ProposalRow.status == status)
    with sessions() as session:
        return [to_model(r) for r in session.scalars(query)]


def get_proposal(sessions: sessionmaker, proposal_id: int) -> Proposal:
    with sessions() as session:
        row = session.get(ProposalRow, proposal_id)
        if row is None:
            raise LookupError(f"proposal {proposal_id} does not exist; list proposals first")
        return to_model(row)
