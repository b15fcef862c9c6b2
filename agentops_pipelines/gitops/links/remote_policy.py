"""Where a Git credential may go: remotes on allowed https hosts, the token only to its own host.

`remote_url` of a link must be https on an allowed host (AGENTOPS_GIT_ALLOWED_HOSTS, default
github.com); local paths and file:// remotes (test and demo bare repositories) need
AGENTOPS_GIT_ALLOW_LOCAL_REMOTES=on. The GitHub token is attached to a git call only when the
remote's host is the git host of the configured API (api.github.com -> github.com; a GitHub
Enterprise server serves both from one host).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

from agentops_pipelines.auth.config import AuthConfig, load_auth_config
from agentops_pipelines.settings import get_settings

API_URL_ENV = "AGENTOPS_GITHUB_API_URL"
DEFAULT_API_URL = "https://api.github.com"


class RemoteRefused(ValueError):
    """The remote is not one a credential may be used with; the message says what to set."""


def token_hosts(api_url: str | None = None) -> set[str]:
    host = (urlsplit(api_url or get_settings().git.github_api_url).hostname or "").lower()
    return {"github.com", "api.github.com"} if host == "api.github.com" else {host}


def _is_local(url: str) -> bool:
    return url.startswith("file://") or (
        "://" not in url and PurePosixPath(url).is_absolute() and ":" not in url.split("/")[0]
    )


def check_remote(url: str, config: AuthConfig | None = None) -> str:
    """The URL when allowed, else RemoteRefused naming the setting to change."""
    config = config or load_auth_config()
    url = url.strip()
    if _is_local(url):
        if config.allow_local_remotes:
            return url
        raise RemoteRefused(
            f"remote_url {url!r} is a local path: only https remotes are allowed "
            "(set AGENTOPS_GIT_ALLOW_LOCAL_REMOTES=on for local test or demo repositories)"
        )
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    allowed = ", ".join(config.allowed_git_hosts)
    if parts.scheme != "https" or not host:
        raise RemoteRefused(f"remote_url {url!r} must be an https URL on {allowed}")
    if parts.username or parts.password:
        raise RemoteRefused("remote_url must not carry credentials; AgentOps adds the token")
    if host not in config.allowed_git_hosts:
        raise RemoteRefused(
            f"remote_url host {host!r} is not allowed; allowed: {allowed} "
            "(an admin can add hosts with AGENTOPS_GIT_ALLOWED_HOSTS)"
        )
    return url


def may_send_token(remote_url: str, api_url: str | None = None) -> bool:
    """Only https to the configured host (and its git host) ever sees the token."""
    parts = urlsplit(remote_url.strip())
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and bool(host) and host in token_hosts(api_url)
