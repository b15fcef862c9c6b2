"""GitHub's OAuth web flow (authorization code with PKCE), through PyGithub over HTTP.

Used for people signing in with GitHub and for confirming, during the App installation, that
the admin really has access to the installation GitHub sent back. The user token lives only for
the request that uses it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from github import Auth, Github, GithubException
from pydantic import SecretStr

from agentops_pipelines.connect.errors import OAuthError
from agentops_pipelines.connect.github_config import GitHubOAuthConfig
from agentops_pipelines.connect.models import GitHubUser
from agentops_pipelines.connect.pkce import challenge_of, new_verifier

__all__ = ["GitHubOAuth", "GitHubUser", "OAuthError", "challenge_of", "new_verifier"]


class GitHubOAuth:
    def __init__(self, config: GitHubOAuthConfig, *, timeout: int = 15) -> None:
        self._config = config
        self._timeout = timeout

    def _app(self):  # type: ignore[no-untyped-def]
        client = Github(base_url=self._config.api_url, timeout=self._timeout)
        return client.get_oauth_application(
            self._config.client_id, self._config.client_secret.get_secret_value()
        )

    def authorize_url(self, state: str, verifier: str, redirect_uri: str | None = None) -> str:
        url = self._app().get_login_url(
            redirect_uri=redirect_uri or self._config.redirect_uri, state=state
        )
        extra = {
            "scope": self._config.scope,
            "code_challenge": challenge_of(verifier),
            "code_challenge_method": "S256",
        }
        return f"{url}&{urlencode(extra)}"

    def exchange(self, code: str, verifier: str) -> SecretStr:
        """The user token for an authorization code (`POST /login/oauth/access_token`)."""
        if not code or len(code) > 200:
            raise OAuthError("GitHub sent back no usable authorization code; sign in again")
        try:
            granted = self._app().get_access_token(code, code_verifier=verifier)
        except GithubException as err:
            raise OAuthError(
                f"GitHub refused the authorization code (HTTP {err.status}); it may have "
                "expired or been used already: sign in again"
            ) from None
        token = getattr(granted, "token", None)
        if not token:
            raise OAuthError("GitHub answered without an access token; sign in again")
        return SecretStr(token)

    def _as_user(self, token: SecretStr) -> Github:
        return Github(
            base_url=self._config.api_url,
            auth=Auth.Token(token.get_secret_value()),
            timeout=self._timeout,
        )

    def user(self, token: SecretStr) -> GitHubUser:
        """The signed-in account (`GET /user`)."""
        try:
            me = self._as_user(token).get_user()
            return GitHubUser(login=me.login, id=me.id, name=me.name, email=me.email)
        except GithubException as err:
            raise OAuthError(
                f"GitHub refused GET /user (HTTP {err.status}); sign in again"
            ) from None

    def installation_ids(self, token: SecretStr) -> set[int]:
        """The App installations this user may access (`GET /user/installations`)."""
        try:
            return {i.id for i in self._as_user(token).get_user().get_installations()}
        except GithubException as err:
            raise OAuthError(
                f"GitHub refused GET /user/installations (HTTP {err.status}); connect again"
            ) from None
