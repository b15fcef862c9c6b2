"""From an Authorization header to a Principal: API tokens first, then OIDC JWTs.

Identity headers play no part in this: the workspace a caller asks for is only a selector, and
asking for one the credential does not belong to makes the request `foreign` (answered 404, so a
workspace's existence is not revealed).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import sessionmaker

from agentops_pipelines.auth import members, oidc, tokens
from agentops_pipelines.auth.config import AuthConfig
from agentops_pipelines.auth.principal import Principal
from agentops_pipelines.auth.roles import Role


@dataclass(frozen=True)
class Outcome:
    principal: Principal | None = None
    problem: str | None = None  # why a presented credential was refused
    foreign: bool = False  # authenticated, but asked for a workspace it does not belong to


NO_CREDENTIALS = Outcome(problem=None)


def authenticate(
    sessions: sessionmaker,
    config: AuthConfig,
    authorization: str | None,
    wanted_workspace: str | None,
    default_workspace: str,
) -> Outcome:
    if not authorization:
        return NO_CREDENTIALS
    scheme, _, credential = authorization.partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        return Outcome(problem="send `Authorization: Bearer <token>` (an AgentOps or OIDC token)")
    if tokens.looks_like_token(credential):
        return _from_api_token(sessions, credential, wanted_workspace)
    if oidc.looks_like_jwt(credential) and config.oidc_issuer:
        return _from_oidc(sessions, config, credential, wanted_workspace, default_workspace)
    return Outcome(problem="the bearer token is not valid, revoked or expired")


def _from_api_token(sessions: sessionmaker, token: str, wanted: str | None) -> Outcome:
    info = tokens.authenticate(sessions, token)
    if info is None:
        return Outcome(problem="the bearer token is not valid, revoked or expired")
    if info.kind == "service":
        role: Role | None = info.role
    else:  # a personal token acts with its user's role today, so a demotion applies at once
        role = members.role_of(sessions, info.workspace, info.subject)
    principal = Principal(
        subject=info.subject,
        workspace=info.workspace,
        role=role,
        scopes=frozenset(info.scopes),
        via=f"token:{info.prefix}",
    )
    return Outcome(principal=principal, foreign=bool(wanted) and wanted != info.workspace)


def _from_oidc(
    sessions: sessionmaker,
    config: AuthConfig,
    token: str,
    wanted: str | None,
    default_workspace: str,
) -> Outcome:
    assert config.oidc_issuer is not None
    try:
        claims = oidc.verify(token, config.oidc_issuer, config.oidc_audience)
    except oidc.OidcError as err:
        return Outcome(problem=str(err))
    subject = str(claims.get(config.oidc_subject_claim) or claims["sub"])
    joined = members.workspaces_of(sessions, subject)
    workspace = wanted or (joined[0] if len(joined) == 1 else default_workspace)
    role = members.role_of(sessions, workspace, subject)
    principal = Principal(
        subject=subject,
        workspace=workspace,
        role=role,
        via=f"oidc:{config.oidc_issuer}",
    )
    return Outcome(principal=principal, foreign=bool(wanted) and role is None and bool(joined))
