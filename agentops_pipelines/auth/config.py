"""Auth settings from the environment: the OIDC provider, dev sign-in, Git host allowances."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, Field

DEFAULT_GIT_HOSTS = ("github.com",)


class AuthConfig(BaseModel):
    oidc_issuer: str | None = Field(default=None, description="AGENTOPS_OIDC_ISSUER")
    oidc_audience: str | None = Field(default=None, description="AGENTOPS_OIDC_AUDIENCE")
    oidc_subject_claim: str = Field(default="email", description="AGENTOPS_OIDC_SUBJECT_CLAIM")
    dev_admin: str | None = Field(
        default=None, description="AGENTOPS_DEV_ADMIN: pages sign this name in as owner (demo)"
    )
    dev_role: str = Field(default="owner", description="AGENTOPS_DEV_ROLE: the dev user's role")
    allowed_git_hosts: tuple[str, ...] = DEFAULT_GIT_HOSTS
    allow_local_remotes: bool = Field(
        default=False, description="AGENTOPS_GIT_ALLOW_LOCAL_REMOTES: local bare repos (tests)"
    )


def load_auth_config(environ: Mapping[str, str] | None = None) -> AuthConfig:
    env = os.environ if environ is None else environ
    hosts = env.get("AGENTOPS_GIT_ALLOWED_HOSTS", "")
    return AuthConfig(
        oidc_issuer=env.get("AGENTOPS_OIDC_ISSUER") or None,
        oidc_audience=env.get("AGENTOPS_OIDC_AUDIENCE") or None,
        oidc_subject_claim=env.get("AGENTOPS_OIDC_SUBJECT_CLAIM") or "email",
        dev_admin=env.get("AGENTOPS_DEV_ADMIN", "").strip() or None,
        dev_role=env.get("AGENTOPS_DEV_ROLE", "").strip() or "owner",
        allowed_git_hosts=tuple(h.strip().lower() for h in hosts.split(",") if h.strip())
        or DEFAULT_GIT_HOSTS,
        allow_local_remotes=env.get("AGENTOPS_GIT_ALLOW_LOCAL_REMOTES", "").lower()
        in ("1", "on", "true"),
    )
