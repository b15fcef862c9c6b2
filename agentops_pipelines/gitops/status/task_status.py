"""Task status as the Git host sees it, one row per (spec, task).

open -> in_review (pushed, PR open) -> done (PR merged and checks green) ; a closed PR or a
merged one with red checks reopens its tasks. "Done" needs evidence, never a ticked box.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.gitops.change_tables import ProposalRow, TaskStatusRow

OPEN, IN_REVIEW, DONE, REOPENED = "open", "in_review", "done", "reopened"


class TaskStatus(BaseModel):
    spec_id: str
    task_id: str
    status: str
    pr_number: int | None = None
    checks_state: str | None = None
    issue_number: int | None = None
    updated_at: datetime


def mark_tasks(session: Session, proposal: ProposalRow, status: str) -> None:
    now = datetime.now(UTC)
    for task_id in json.loads(proposal.task_ids):
        row = session.get(TaskStatusRow, (proposal.spec_id, task_id))
        if row is None:
            row = TaskStatusRow(spec_id=proposal.spec_id, task_id=task_id)
            session.add(row)
        row.status = status
        row.proposal_id = proposal.id
        row.pr_number = proposal.pr_number
        row.checks_state = proposal.checks_state
        row.updated_at = now


def set_issue_numbers(sessions: sessionmaker, spec_id: str, numbers: dict[str, int]) -> None:
    now = datetime.now(UTC)
    with sessions.begin() as session:
        for task_id, number in numbers.items():
            row = session.get(TaskStatusRow, (spec_id, task_id))
            if row is None:
                row = TaskStatusRow(spec_id=spec_id, task_id=task_id, status=OPEN)
                session.add(row)
            row.issue_number = number
            row.updated_at = now


def task_statuses(sessions: sessionmaker, spec_id: str | None = None) -> list[TaskStatus]:
    query = select(TaskStatusRow).order_by(TaskStatusRow.spec_id, TaskStatusRow.task_id)
    if spec_id:
        query = query.where(TaskStatusRow.spec_id == spec_id)
    with sessions() as session:
        return [TaskStatus.model_validate(r, from_attributes=True) for r in session.scalars(query)]
