"""The configured door to the Git host and the gitops tables of the app store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.approve_and_push import TOKEN_ENV, build_git_host
from agentops_pipelines.gitops.changes.path_guard import DEFAULT_PROTECTED_PATHS
from agentops_pipelines.gitops.push.publish import PublishConfig
from agentops_pipelines.settings import Settings
from agentops_pipelines.store.db import open_store

if TYPE_CHECKING:  # PyGithub costs seconds to import: only a run that pushes loads it
    from agentops_pipelines.gitops.hosts.github_host import GitHubHost

INTERVAL_ENV = "AGENTOPS_GIT_SENSOR_INTERVAL_S"


class GitOpsResource(dg.ConfigurableResource):
    """`github_token` is bound with dg.EnvVar: Dagster shows the variable name, never the value."""

    db_url: str
    home: str
    github_token: str | None = None
    github_api_url: str = "https://api.github.com"
    protected_paths: list[str] = list(DEFAULT_PROTECTED_PATHS)
    seconds_between_writes: float = 1.0

    def sessions(self) -> sessionmaker:
        """The app store's one session factory (migrated once per process and URL)."""
        return open_store(self.db_url)

    def host(self) -> GitHubHost | None:
        """None without a token: proposals are still made, nothing can be pushed."""
        return build_git_host(
            self.github_token,
            self.github_api_url,
            protected_paths=self.protected_paths,
            seconds_between_writes=self.seconds_between_writes,
        )

    def publish_config(self) -> PublishConfig:
        return PublishConfig(
            workdir=Path(self.home) / "git_work",
            token=self.github_token,
            protected_paths=self.protected_paths,
        )


def build_gitops(settings: Settings) -> GitOpsResource:
    """Token and API URL from settings; the token bound by name through dg.EnvVar."""
    return GitOpsResource(
        db_url=settings.app_db_url,
        home=str(settings.home),
        github_token=dg.EnvVar(TOKEN_ENV) if settings.git.github_token else None,  # type: ignore[arg-type]
        github_api_url=settings.git.github_api_url,
    )
