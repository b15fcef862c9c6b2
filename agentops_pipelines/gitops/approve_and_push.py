"""Entry points for the front ends (Streamlit Git page, HTTP API): decide, then push.

The Git host and the push settings come from the environment, the same variables the Dagster
resource reads, so an approval in the app pushes exactly as the pipeline would.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.changes.approval import decide
from agentops_pipelines.gitops.changes.proposals import Proposal
from agentops_pipelines.gitops.hosts.base import GitHost
from agentops_pipelines.gitops.push.publish import PublishConfig, publish
from agentops_pipelines.settings import GitSettings, settings_for

if TYPE_CHECKING:  # PyGithub costs seconds to import: only a call that pushes loads it
    from agentops_pipelines.gitops.hosts.github_host import GitHubHost

TOKEN_ENV = "AGENTOPS_GITHUB_TOKEN"
API_URL_ENV = "AGENTOPS_GITHUB_API_URL"


def build_git_host(
    token: str | None,
    api_url: str,
    protected_paths: list[str] | None = None,
    seconds_between_writes: float | None = None,
) -> GitHubHost | None:
    """The one Git host factory (resource, API, pages, CLI): None without a token, so proposals
    are still made and nothing can be pushed."""
    if not token:
        return None
    from agentops_pipelines.gitops.hosts.github_host import (
        GitHubHost,  # PyGithub: seconds to import
    )

    options: dict = {}
    if protected_paths is not None:
        options["protected_paths"] = protected_paths
    if seconds_between_writes is not None:
        options["seconds_between_writes"] = seconds_between_writes
    return GitHubHost(token, base_url=api_url, **options)


def host_from_settings(git: GitSettings) -> GitHubHost | None:
    return build_git_host(git.token(), git.github_api_url)


def host_from_env(environ: dict[str, str] | None = None) -> GitHubHost | None:
    return host_from_settings(settings_for(environ).git)


def publish_config_from_env(home: Path, environ: dict[str, str] | None = None) -> PublishConfig:
    return PublishConfig(workdir=home / "git_work", token=settings_for(environ).git.token())


def review(
    sessions: sessionmaker,
    proposal_id: int,
    *,
    approve: bool,
    actor: str,
    reason: str,
    home: Path,
    host: GitHost | None = None,
    config: PublishConfig | None = None,
) -> Proposal:
    """Record the decision; an approval is pushed at once when a Git host is configured."""
    decided = decide(sessions, proposal_id, approve=approve, actor=actor, reason=reason)
    host = host or host_from_env()
    if not approve or host is None:
        return decided
    return publish(sessions, proposal_id, host, config or publish_config_from_env(home), actor)
