"""A push with the workspace's GitHub App installation: a token minted for this one push.

Used when no personal token (AGENTOPS_GITHUB_TOKEN) is set and the workspace connected GitHub
on the Git page. The token exists only in memory for the host and the git push it is given to.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import sessionmaker

from agentops_pipelines.connect.github_config import load_app_config
from agentops_pipelines.connect.installations import installation_of
from agentops_pipelines.gitops.hosts.base import GitHost
from agentops_pipelines.gitops.push.publish import PublishConfig
from agentops_pipelines.settings import get_settings

TOKEN_ENV = "AGENTOPS_GITHUB_TOKEN"


def app_push(
    sessions: sessionmaker, workspace: str, home: Path
) -> tuple[GitHost, PublishConfig] | tuple[None, None]:
    """(host, push config) carrying a fresh installation token, or (None, None) to fall back
    to the personal-token path (a token is set, or no App/installation is configured)."""
    if get_settings().git.token():
        return None, None
    config = load_app_config()
    found = installation_of(sessions, workspace) if config else None
    if config is None or found is None:
        return None, None
    from agentops_pipelines.connect.github_app import GitHubApp  # PyGithub: slow import

    token = GitHubApp(config).installation_token(found.installation_id).get_secret_value()
    from agentops_pipelines.gitops.hosts.github_host import GitHubHost

    host = GitHubHost(token, base_url=config.api_url)
    return host, PublishConfig(workdir=home / "git_work", token=token)
