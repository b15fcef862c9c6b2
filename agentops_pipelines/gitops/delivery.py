"""What the `pull_request` asset does for one spec, free of Dagster: propose, export issues.

Nothing is pushed before approval: a new proposal waits (approval.py); an approved one whose
push could not run yet (no Git host configured then) is pushed here (publish.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.gitops.change_tables import APPROVED
from agentops_pipelines.gitops.changes.branch_naming import spec_slug
from agentops_pipelines.gitops.changes.builder import build_change
from agentops_pipelines.gitops.changes.proposals import upsert_proposal
from agentops_pipelines.gitops.hosts.base import GitHost
from agentops_pipelines.gitops.links.repo_links import RepoLink, link_for_spec
from agentops_pipelines.gitops.push.git_client import GitPushError, GitWorkspace
from agentops_pipelines.gitops.push.publish import PublishConfig, publish
from agentops_pipelines.gitops.status.task_status import set_issue_numbers
from agentops_pipelines.planning.exports import graph_to_github_issues
from agentops_pipelines.planning.graph_models import TaskGraph

log = logging.getLogger(__name__)


class DeliveryState(BaseModel):
    """The asset's value: where the spec's change stands (never file contents or credentials)."""

    spec_id: str
    repo: str | None = None
    proposal_id: int | None = None
    outcome: str  # created | updated | unchanged | unlinked
    status: str | None = None
    branch: str | None = None
    source: str | None = None
    files: int = 0
    pr_number: int | None = None
    pr_url: str | None = None
    issues: list[int] = []


def _base_reader(link: RepoLink, config: PublishConfig) -> Callable[[str], str | None]:
    """Diff against the remote base branch when it can be fetched; else against nothing."""
    workspace = GitWorkspace(link.remote_url, config.workdir / spec_slug(link.repo), config.token)
    try:
        workspace.sync()
    except GitPushError as err:
        log.warning("diff base of %s unavailable: %s", link.repo, err)
        return lambda _path: None
    return lambda path: workspace.read(link.base_branch, path)


def propose(
    sessions: sessionmaker,
    graph: TaskGraph,
    artefact_root: Path,
    config: PublishConfig,
    host: GitHost | None = None,
    export_issues: bool = False,
) -> DeliveryState:
    link = link_for_spec(sessions, graph.spec_id)
    if link is None:
        return DeliveryState(spec_id=graph.spec_id, outcome="unlinked")
    change = build_change(
        graph,
        link,
        ArtefactStore(artefact_root),
        _base_reader(link, config),
        protected=config.protected_paths,
    )
    proposal, outcome = upsert_proposal(sessions, change)
    if proposal.status == APPROVED and host is not None:
        # Approved while no Git host was configured (or before a failed push was retried).
        proposal = publish(sessions, proposal.id, host, config, "agentops")
    issues: list[int] = []
    if export_issues and host is not None:
        payloads = graph_to_github_issues(graph)
        issues = host.create_issues(link.repo, payloads)
        set_issue_numbers(
            sessions, graph.spec_id, {t.id: n for t, n in zip(graph.tasks, issues, strict=True)}
        )
    return DeliveryState(
        spec_id=graph.spec_id,
        repo=link.repo,
        proposal_id=proposal.id,
        outcome=outcome,
        status=proposal.status,
        branch=proposal.branch,
        source=proposal.source,
        files=len(proposal.files),
        pr_number=proposal.pr_number,
        pr_url=proposal.pr_url,
        issues=issues,
    )
