"""GitLab's OAuth 2 (authorization code with PKCE) through Authlib, and the account behind a
token through python-gitlab; the resulting token drives `GitLabHost(..., oauth=True)`."""

from __future__ import annotations

from collections.abc import Mapping

import gitlab
from authlib.integrations.base_client.errors import OAuthError as AuthlibOAuthError
from authlib.integrations.httpx_client import OAuth2Client
from gitlab.exceptions import GitlabError
from pydantic import BaseModel, SecretStr

from agentops_pipelines.connect.errors import OAuthError
from agentops_pipelines.connect.github_config import GitHubConfigError, connect_variables
from agentops_pipelines.connect.gitlab_host import GitLabHost


class GitLabOAuthConfig(BaseModel):
    url: str
    client_id: str
    client_secret: SecretStr
    redirect_uri: str
    scope: str = "api read_user"


class GitLabUser(BaseModel):
    username: str
    id: int
    email: str | None = None

    @property
    def subject(self) -> str:
        return f"gitlab:{self.username}"


def load_gitlab_oauth_config(environ: Mapping[str, str] | None = None) -> GitLabOAuthConfig | None:
    env = connect_variables(environ)
    client_id = env.get("AGENTOPS_GITLAB_CLIENT_ID", "").strip()
    if not client_id:
        return None
    secret = env.get("AGENTOPS_GITLAB_CLIENT_SECRET", "")
    if not secret:
        raise GitHubConfigError(
            "AGENTOPS_GITLAB_CLIENT_ID is set but AGENTOPS_GITLAB_CLIENT_SECRET is not"
        )
    return GitLabOAuthConfig(
        url=(env.get("AGENTOPS_GITLAB_URL") or "https://gitlab.com").rstrip("/"),
        client_id=client_id,
        client_secret=SecretStr(secret),
        redirect_uri=env.get("AGENTOPS_GITLAB_REDIRECT_URI", "http://127.0.0.1:8501/").strip(),
    )


class GitLabOAuth:
    def __init__(self, config: GitLabOAuthConfig, *, timeout: int = 15) -> None:
        self._config = config
        self._timeout = timeout

    def _client(self) -> OAuth2Client:
        return OAuth2Client(
            client_id=self._config.client_id,
            client_secret=self._config.client_secret.get_secret_value(),
            token_endpoint_auth_method="client_secret_post",
            scope=self._config.scope,
            redirect_uri=self._config.redirect_uri,
            code_challenge_method="S256",
            timeout=self._timeout,
        )

    def authorize_url(self, state: str, verifier: str) -> str:
        with self._client() as client:
            url, _ = client.create_authorization_url(
                f"{self._config.url}/oauth/authorize", state=state, code_verifier=verifier
            )
        return str(url)

    def exchange(self, code: str, verifier: str) -> SecretStr:
        try:
            with self._client() as client:
                token = client.fetch_token(
                    f"{self._config.url}/oauth/token",
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=verifier,
                )
        except AuthlibOAuthError as err:
            raise OAuthError(
                f"GitLab refused the authorization code ({err.error}); sign in again"
            ) from None
        access = token.get("access_token")
        if not access:
            raise OAuthError("GitLab answered without an access token; sign in again")
        return SecretStr(str(access))

    def user(self, token: SecretStr) -> GitLabUser:
        client = gitlab.Gitlab(
            self._config.url, oauth_token=token.get_secret_value(), timeout=self._timeout
        )
        try:
            client.auth()
        except GitlabError as err:
            raise OAuthError(
                f"GitLab refused GET /api/v4/user (HTTP {err.response_code}); sign in again"
            ) from None
        me = client.user
        assert me is not None
        return GitLabUser(username=me.username, id=me.id, email=getattr(me, "email", None))

    def host(self, token: SecretStr) -> GitLabHost:
        return GitLabHost(self._config.url, token.get_secret_value(), oauth=True)
