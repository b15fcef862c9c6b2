"""Status flowing back from the Git host: PR state and check results -> proposals and tasks.

Every handler is idempotent (it sets states, never counts), so re-reading an inbox row after a
sensor crash does no harm. Checks are kept per name for the proposal's current head commit; the
aggregate is failure if any failed, pending while any runs, success when all passed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.gitops.change_tables import PUSHED, ProposalRow
from agentops_pipelines.gitops.status.task_status import DONE, IN_REVIEW, REOPENED, mark_tasks

GREEN = {"success", "neutral", "skipped"}
RED = {"failure", "cancelled", "timed_out", "action_required", "error", "startup_failure"}


class CheckSignal(BaseModel):
    """One finished (or started) CI result, whatever event carried it."""

    repo: str
    sha: str | None
    branches: list[str]
    name: str
    state: str  # success | failure | pending
    completed: bool
    workflow_run_id: int | None = None


def _state(value: str | None) -> str:
    if value in GREEN:
        return "success"
    if value in RED:
        return "failure"
    return "pending"


def check_signal(event: str, payload: dict[str, Any]) -> CheckSignal | None:
    """The CI result in a check_run / check_suite / workflow_run / status delivery."""
    repo = payload.get("repository", {}).get("full_name", "")
    if event == "check_run":
        run = payload["check_run"]
        branches = [p["head"]["ref"] for p in run.get("pull_requests") or []]
        branches += [run.get("check_suite", {}).get("head_branch") or ""]
        done = run.get("status") == "completed"
        return CheckSignal(
            repo=repo,
            sha=run.get("head_sha"),
            branches=[b for b in branches if b],
            name=f"check:{run.get('name')}",
            state=_state(run.get("conclusion")) if done else "pending",
            completed=done,
        )
    if event == "check_suite":
        suite = payload["check_suite"]
        done = suite.get("status") == "completed"
        return CheckSignal(
            repo=repo,
            sha=suite.get("head_sha"),
            branches=[suite["head_branch"]] if suite.get("head_branch") else [],
            name=f"suite:{suite.get('app', {}).get('slug', suite.get('id'))}",
            state=_state(suite.get("conclusion")) if done else "pending",
            completed=done,
        )
    if event == "workflow_run":
        run = payload["workflow_run"]
        done = run.get("status") == "completed"
        return CheckSignal(
            repo=repo,
            sha=run.get("head_sha"),
            branches=[run["head_branch"]] if run.get("head_branch") else [],
            name=f"workflow:{run.get('name')}",
            state=_state(run.get("conclusion")) if done else "pending",
            completed=done,
            workflow_run_id=run.get("id"),
        )
    if event == "status":
        state = payload.get("state", "pending")
        return CheckSignal(
            repo=repo,
            sha=payload.get("sha"),
            branches=[b["name"] for b in payload.get("branches") or [] if b.get("name")],
            name=f"status:{payload.get('context')}",
            state=_state(state),
            completed=state != "pending",
        )
    return None


def _proposal(
    session: Session, repo: str, sha: str | None, branches: list[str]
) -> ProposalRow | None:
    conditions: list[ColumnElement[bool]] = [ProposalRow.branch.in_(branches)] if branches else []
    if sha:
        conditions.append(ProposalRow.commit_sha == sha)
    if not conditions:
        return None
    query = select(ProposalRow).where(ProposalRow.repo == repo, or_(*conditions))
    return session.scalars(query.order_by(ProposalRow.updated_at.desc())).first()


def _aggregate(checks: dict[str, str]) -> str:
    states = set(checks.values())
    if "failure" in states:
        return "failure"
    return "pending" if "pending" in states or not states else "success"


def _settle_tasks(session: Session, row: ProposalRow) -> None:
    """Merged + green -> done; closed unmerged or merged red -> reopened; else in review."""
    if row.pr_state == "merged" and row.checks_state == "success":
        mark_tasks(session, row, DONE)
    elif row.pr_state == "closed" or (row.pr_state == "merged" and row.checks_state == "failure"):
        mark_tasks(session, row, REOPENED)
    elif row.status == PUSHED:
        mark_tasks(session, row, IN_REVIEW)


def apply_check(sessions: sessionmaker, signal: CheckSignal) -> str | None:
    """Record a CI result on its proposal; returns the proposal's spec id when one matched."""
    with sessions.begin() as session:
        row = _proposal(session, signal.repo, signal.sha, signal.branches)
        if row is None:
            return None
        if signal.sha and row.commit_sha and signal.sha != row.commit_sha:
            return row.spec_id  # a result for an older head commit
        evidence = json.loads(row.evidence)
        checks = evidence.get("checks", {}) | {signal.name: signal.state}
        row.evidence = json.dumps(evidence | {"checks": checks}, sort_keys=True, default=str)
        row.checks_state = _aggregate(checks)
        row.updated_at = datetime.now(UTC)
        _settle_tasks(session, row)
        return row.spec_id


def apply_pull_request(sessions: sessionmaker, payload: dict[str, Any]) -> str | None:
    """opened/reopened/synchronize/closed of an AgentOps PR -> PR state, tasks."""
    pr = payload["pull_request"]
    repo = payload.get("repository", {}).get("full_name", "")
    with sessions.begin() as session:
        row = _proposal(session, repo, None, [pr["head"]["ref"]])
        if row is None:
            return None
        action = payload.get("action")
        if action == "closed":
            row.pr_state = "merged" if pr.get("merged") else "closed"
        elif action in ("opened", "reopened", "synchronize", "ready_for_review", "edited"):
            row.pr_state = "open"
        if action == "synchronize" and pr["head"].get("sha") != row.commit_sha:
            row.commit_sha = pr["head"].get("sha")
            row.checks_state = "pending"
            evidence = json.loads(row.evidence)
            row.evidence = json.dumps(evidence | {"checks": {}}, sort_keys=True, default=str)
        row.pr_number = pr.get("number", row.pr_number)
        row.updated_at = datetime.now(UTC)
        _settle_tasks(session, row)
        return row.spec_id
