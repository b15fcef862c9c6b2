"""The errors of connecting Git hosts, importable without the host SDKs (PyGithub is slow)."""

from __future__ import annotations

from agentops_pipelines.gitops.hosts.base import GitHostError


class OAuthError(ValueError):
    """The OAuth exchange failed; the message says why and never carries a code or token."""


class GitHubAppError(GitHostError):
    """GitHub refused the App or an installation; the message says which and what to do."""
