"""Auth settings from the environment: the OIDC provider, dev sign-in, Git host allowances."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, Field

from agentops_pipelines.settings import settings_for

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
    s = settings_for(environ)
    return AuthConfig(
        oidc_issuer=s.auth.oidc_issuer,
        oidc_audience=s.auth.oidc_audience,
        oidc_subject_claim=s.auth.oidc_subject_claim,
        dev_admin=s.auth.dev_admin,
        dev_role=s.auth.dev_role,
        allowed_git_hosts=tuple(h.lower() for h in s.git.allowed_hosts) or DEFAULT_GIT_HOSTS,
        allow_local_remotes=s.git.allow_local_remotes,
    )
