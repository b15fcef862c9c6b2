"""GitHub App and OAuth app settings, read from the environment (secrets stay SecretStr).

An App is optional: without AGENTOPS_GITHUB_APP_ID the Git page offers no "Connect GitHub" and
the personal token (AGENTOPS_GITHUB_TOKEN) path is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr

from agentops_pipelines.settings import settings_for

DEFAULT_API_URL = "https://api.github.com"


class GitHubConfigError(ValueError):
    """A GitHub App/OAuth setting is missing or malformed; the message names the variable."""


def web_url_for(api_url: str) -> str:
    """github.com for api.github.com; a GitHub Enterprise server serves both from one host."""
    parts = urlsplit(api_url)
    if (parts.hostname or "").lower() == "api.github.com":
        return "https://github.com"
    return f"{parts.scheme}://{parts.netloc}"


class GitHubAppConfig(BaseModel):
    app_id: str = Field(description="AGENTOPS_GITHUB_APP_ID")
    slug: str = Field(description="AGENTOPS_GITHUB_APP_SLUG: the App's URL name (install page)")
    private_key: SecretStr = Field(
        description="AGENTOPS_GITHUB_APP_PRIVATE_KEY (PEM) or AGENTOPS_GITHUB_APP_PRIVATE_KEY_FILE"
    )
    api_url: str = DEFAULT_API_URL
    web_url: str = "https://github.com"


class GitHubOAuthConfig(BaseModel):
    client_id: str = Field(description="AGENTOPS_GITHUB_CLIENT_ID")
    client_secret: SecretStr = Field(description="AGENTOPS_GITHUB_CLIENT_SECRET")
    redirect_uri: str = Field(description="AGENTOPS_GITHUB_REDIRECT_URI: the pages' own URL")
    api_url: str = DEFAULT_API_URL
    scope: str = "read:user user:email"


def connect_variables(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The connect group's set variables (and the GitHub API URL) from the settings model."""
    settings = settings_for(environ)
    return {**settings.connect.raw(), "AGENTOPS_GITHUB_API_URL": settings.git.github_api_url}


def _api_url(env: Mapping[str, str]) -> str:
    url = (env.get("AGENTOPS_GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
    if urlsplit(url).scheme not in ("https", "http") or not urlsplit(url).hostname:
        raise GitHubConfigError(f"AGENTOPS_GITHUB_API_URL {url!r} must be an http(s) URL")
    return url


def load_app_config(environ: Mapping[str, str] | None = None) -> GitHubAppConfig | None:
    """The App's settings, None when no App is configured."""
    env = connect_variables(environ)
    app_id = env.get("AGENTOPS_GITHUB_APP_ID", "").strip()
    if not app_id:
        return None
    key = env.get("AGENTOPS_GITHUB_APP_PRIVATE_KEY", "")
    key_file = env.get("AGENTOPS_GITHUB_APP_PRIVATE_KEY_FILE", "").strip()
    if not key and key_file:
        try:
            key = Path(key_file).read_text(encoding="utf-8")
        except OSError as err:
            raise GitHubConfigError(
                f"AGENTOPS_GITHUB_APP_PRIVATE_KEY_FILE {key_file!r} cannot be read "
                f"({err.strerror}); point it at the App's .pem file"
            ) from None
    if "PRIVATE KEY" not in key:
        raise GitHubConfigError(
            "AGENTOPS_GITHUB_APP_ID is set but the App's private key is not: set "
            "AGENTOPS_GITHUB_APP_PRIVATE_KEY_FILE to the .pem downloaded from the App's settings"
        )
    slug = env.get("AGENTOPS_GITHUB_APP_SLUG", "").strip()
    if not slug:
        raise GitHubConfigError("AGENTOPS_GITHUB_APP_SLUG is missing: the App's URL name")
    api = _api_url(env)
    return GitHubAppConfig(
        app_id=app_id,
        slug=slug,
        private_key=SecretStr(key),
        api_url=api,
        web_url=(env.get("AGENTOPS_GITHUB_WEB_URL") or web_url_for(api)).rstrip("/"),
    )


def load_oauth_config(environ: Mapping[str, str] | None = None) -> GitHubOAuthConfig | None:
    """The OAuth app's settings (GitHub sign-in), None when none is configured."""
    env = connect_variables(environ)
    client_id = env.get("AGENTOPS_GITHUB_CLIENT_ID", "").strip()
    if not client_id:
        return None
    secret = env.get("AGENTOPS_GITHUB_CLIENT_SECRET", "")
    redirect = env.get("AGENTOPS_GITHUB_REDIRECT_URI", "http://127.0.0.1:8501/").strip()
    if not secret:
        raise GitHubConfigError(
            "AGENTOPS_GITHUB_CLIENT_ID is set but AGENTOPS_GITHUB_CLIENT_SECRET is not"
        )
    return GitHubOAuthConfig(
        client_id=client_id,
        client_secret=SecretStr(secret),
        redirect_uri=redirect,
        api_url=_api_url(env),
    )
