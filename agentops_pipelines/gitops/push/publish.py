"""Push an approved proposal: git commit + push to the linked remote, then open/update its PR.

The guard on protected paths runs again here (the files come from the database, not from the
builder that checked them). A failure marks the proposal `failed` with a message free of secrets.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.change_tables import APPROVED, FAILED, PUSHED, ProposalRow
from agentops_pipelines.gitops.changes.audit import record
from agentops_pipelines.gitops.changes.branch_naming import spec_slug
from agentops_pipelines.gitops.changes.path_guard import DEFAULT_PROTECTED_PATHS, ProtectedPathError
from agentops_pipelines.gitops.changes.proposals import Proposal, get_proposal, to_model
from agentops_pipelines.gitops.hosts.base import ChangeRequest, FileChange, GitHost, GitHostError
from agentops_pipelines.gitops.hosts.pr_body import DEFAULT_PR_TEMPLATE, render_pr_body
from agentops_pipelines.gitops.links.remote_policy import RemoteRefused, check_remote
from agentops_pipelines.gitops.links.repo_links import link_for_repo
from agentops_pipelines.gitops.push.git_client import GitPushError, GitWorkspace
from agentops_pipelines.gitops.status.task_status import mark_tasks
from agentops_pipelines.security import redact

log = logging.getLogger(__name__)


class PublishConfig(BaseModel):
    workdir: Path
    token: str | None = None
    protected_paths: list[str] = list(DEFAULT_PROTECTED_PATHS)
    pr_template: str = DEFAULT_PR_TEMPLATE


def pr_body(proposal: Proposal, template: str = DEFAULT_PR_TEMPLATE) -> str:
    """The shared PR template, fed with the proposal's spec, requirements, evidence and tasks."""
    evidence = [
        f"{kind}: " + ", ".join(f"{k}={v}" for k, v in values.items())
        for kind, values in proposal.evidence.items()
        if isinstance(values, dict) and values
    ]
    checklist = "\n".join(f"- [ ] `{t}`" for t in proposal.task_ids)
    change = ChangeRequest(
        repo=proposal.repo,
        spec_id=proposal.spec_id,
        task_id=proposal.task_ids[0] if len(proposal.task_ids) == 1 else "tasks",
        title=proposal.title,
        files=[FileChange(path=f.path, content=f.content) for f in proposal.files],
        summary=f"{proposal.summary}\n\nTasks:\n{checklist}",
        requirements=proposal.requirement_ids,
        evidence=evidence,
    )
    return render_pr_body(change, template)


def publish(
    sessions: sessionmaker, proposal_id: int, host: GitHost, config: PublishConfig, actor: str
) -> Proposal:
    proposal = get_proposal(sessions, proposal_id)
    if proposal.status != APPROVED:
        raise ValueError(
            f"proposal {proposal_id} is {proposal.status}: approve it before it can be pushed"
        )
    link = link_for_repo(sessions, proposal.repo)
    try:
        if link is None:
            raise GitPushError(
                f"repository {proposal.repo} is not linked: link it (remote URL, base branch) "
                "on the Git page or with the API before pushing"
            )
        try:
            remote = check_remote(link.remote_url)
        except RemoteRefused as err:
            raise GitPushError(f"not pushed: {err}") from None
        workspace = GitWorkspace(remote, config.workdir / spec_slug(proposal.repo), config.token)
        pushed = workspace.push(
            proposal.branch,
            proposal.base,
            proposal.files,
            f"{proposal.title}\n\nTasks: {', '.join(proposal.task_ids)}",
            config.protected_paths,
        )
        pull = host.open_or_update_pull(
            proposal.repo,
            proposal.branch,
            proposal.base,
            proposal.title,
            pr_body(proposal, config.pr_template),
        )
    except (GitPushError, GitHostError, ProtectedPathError, OSError) as err:
        message = str(err).replace(config.token, "***") if config.token else str(err)
        message = redact(message).text
        return _finish(sessions, proposal_id, actor, error=message)
    return _finish(
        sessions,
        proposal_id,
        actor,
        commit_sha=pushed.commit_sha,
        pr_number=pull.number,
        pr_url=pull.url,
    )


def _finish(
    sessions: sessionmaker,
    proposal_id: int,
    actor: str,
    *,
    error: str | None = None,
    commit_sha: str | None = None,
    pr_number: int | None = None,
    pr_url: str | None = None,
) -> Proposal:
    with sessions.begin() as session:
        row = session.get(ProposalRow, proposal_id)
        assert row is not None
        row.updated_at = datetime.now(UTC)
        if error:
            row.status, row.error = FAILED, error
            record(session, row.id, actor, "push_failed", error)
            log.warning("proposal %s failed to push: %s", proposal_id, error)
        else:
            row.status, row.error = PUSHED, None
            row.commit_sha, row.pr_number, row.pr_url = commit_sha, pr_number, pr_url
            row.pr_state, row.checks_state = "open", "pending"
            record(session, row.id, actor, "pushed", f"PR #{pr_number} at {commit_sha}")
            mark_tasks(session, row, "in_review")
        session.flush()
        return to_model(row)
