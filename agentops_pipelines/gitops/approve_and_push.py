"""Entry points for the front ends (Streamlit Git page, HTTP API): decide, then push.

The Git host and the push settings come from the environment, the same variables the Dagster
resource reads, so an approval in the app pushes exactly as the pipeline would.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.changes.approval import decide
from agentops_pipelines.gitops.changes.proposals import Proposal
from agentops_pipelines.gitops.hosts.base import GitHost
from agentops_pipelines.gitops.push.publish import PublishConfig, publish

TOKEN_ENV = "AGENTOPS_GITHUB_TOKEN"
API_URL_ENV = "AGENTOPS_GITHUB_API_URL"


def host_from_env(environ: dict[str, str] | None = None) -> GitHost | None:
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV)
    if not token:
        return None
    from agentops_pipelines.gitops.hosts.github_host import (
        GitHubHost,  # PyGithub: seconds to import
    )

    return GitHubHost(token, base_url=env.get(API_URL_ENV, "https://api.github.com"))


def publish_config_from_env(home: Path, environ: dict[str, str] | None = None) -> PublishConfig:
    env = os.environ if environ is None else environ
    return PublishConfig(workdir=home / "git_work", token=env.get(TOKEN_ENV) or None)


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
