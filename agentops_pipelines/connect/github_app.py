"""The GitHub App side: an installation's repositories and tokens, through PyGithub over HTTP.

Each call signs a fresh App JWT (PyJWT, RS256, via `Auth.AppAuth`) and mints a fresh
installation token (`POST /app/installations/{id}/access_tokens`) for that one use; no token is
ever written to the store, a log or an error message.
"""

from __future__ import annotations

from github import Auth, GithubException, GithubIntegration
from github.Installation import Installation
from pydantic import SecretStr

from agentops_pipelines.connect.errors import GitHubAppError
from agentops_pipelines.connect.github_config import GitHubAppConfig
from agentops_pipelines.connect.models import GrantedRepo

__all__ = ["GitHubApp", "GitHubAppError", "GrantedRepo"]

MAX_REPOS = 1000


def _refused(what: str, err: GithubException) -> GitHubAppError:
    detail = err.data.get("message") if isinstance(err.data, dict) else None
    hint = {
        401: "check AGENTOPS_GITHUB_APP_ID and the App's private key",
        404: "the installation is gone or belongs to another App; connect GitHub again",
    }.get(err.status, "try again, or reconnect GitHub on the Git page")
    return GitHubAppError(
        f"GitHub refused {what} (HTTP {err.status}: {detail or 'no detail'}); {hint}"
    )


class GitHubApp:
    def __init__(self, config: GitHubAppConfig, *, timeout: int = 15) -> None:
        self._config = config
        self._timeout = timeout

    @property
    def config(self) -> GitHubAppConfig:
        return self._config

    def install_url(self, state: str) -> str:
        """Where an admin installs the App on an account and picks repositories."""
        return f"{self._config.web_url}/apps/{self._config.slug}/installations/new?state={state}"

    def _integration(self) -> GithubIntegration:
        auth = Auth.AppAuth(self._config.app_id, self._config.private_key.get_secret_value())
        return GithubIntegration(auth=auth, base_url=self._config.api_url, timeout=self._timeout)

    def _installation(self, installation_id: int) -> Installation:
        try:
            return self._integration().get_app_installation(installation_id)
        except GithubException as err:
            raise _refused(f"installation {installation_id}", err) from None

    def account(self, installation_id: int) -> str:
        """The user or organisation the installation belongs to."""
        return str(self._installation(installation_id).account.login)

    def installation_token(self, installation_id: int) -> SecretStr:
        """A new installation token (about an hour of life on GitHub) for one use."""
        try:
            granted = self._integration().get_access_token(installation_id)
        except GithubException as err:
            raise _refused(f"a token for installation {installation_id}", err) from None
        return SecretStr(granted.token)

    def repositories(self, installation_id: int) -> list[GrantedRepo]:
        """The repositories the installation grants (`GET /installation/repositories`)."""
        try:
            repos = self._installation(installation_id).get_repos()
            found = []
            for repo in repos:
                found.append(
                    GrantedRepo(
                        full_name=repo.full_name,
                        clone_url=repo.clone_url,
                        default_branch=repo.default_branch or "main",
                        private=bool(repo.private),
                    )
                )
                if len(found) >= MAX_REPOS:
                    break
        except GithubException as err:
            raise _refused(f"the repositories of installation {installation_id}", err) from None
        return sorted(found, key=lambda r: r.full_name.lower())
