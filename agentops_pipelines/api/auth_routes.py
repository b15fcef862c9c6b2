"""Identity endpoints: who am I, my tokens, service tokens, members and roles, the audit log.

Access to each route is declared in `auth.policy.ROUTES`; handlers here only add the ownership
rule that a non-admin sees and revokes only their own tokens.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, Field, field_validator
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.api.auth_layer import auth_store, principal_of
from agentops_pipelines.api.errors import BAD_BODY, MAX_ID, VALIDATION
from agentops_pipelines.auth import audit, members, tokens
from agentops_pipelines.auth.principal import Principal
from agentops_pipelines.auth.roles import Role, satisfies

router = APIRouter(tags=["auth"], responses={**BAD_BODY, **VALIDATION})
PrincipalDep = Annotated[Principal, Depends(principal_of)]
TokenId = Annotated[int, Path(ge=0, le=MAX_ID)]
Subject = Annotated[str, Path(min_length=1, max_length=320)]


def _store(request: Request) -> sessionmaker:
    return auth_store(request.app.state.settings.app_db_url)


StoreDep = Annotated[sessionmaker, Depends(_store)]


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Me(BaseModel):
    subject: str
    workspace: str
    role: Role | None
    scopes: list[str]
    via: str


class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="what the token is for")
    scopes: list[str] = Field(
        min_length=1, description="'*' or area:level, e.g. git:read, marketplace:write"
    )
    days: int = Field(default=30, ge=1, le=tokens.MAX_DAYS, description="days until it expires")

    @field_validator("scopes")
    @classmethod
    def _known_scopes(cls, scopes: list[str]) -> list[str]:
        return tokens.check_scopes(scopes)


class ServiceTokenRequest(TokenRequest):
    role: Role = Field(description="the role the service acts with")


class MemberRequest(BaseModel):
    role: Role


def _is_admin(principal: Principal) -> bool:
    return principal.role is not None and satisfies(principal.role, Role.ADMIN)


@router.get("/health", summary="Liveness (public)")
def health() -> Health:
    return Health()


@router.get("/api/auth/me", summary="The authenticated caller")
def me(principal: PrincipalDep) -> Me:
    return Me(**principal.model_dump(exclude={"scopes"}), scopes=sorted(principal.scopes))


@router.get("/api/auth/tokens", summary="Tokens of the workspace (yours; admins see all)")
def list_tokens(principal: PrincipalDep, db: StoreDep) -> list[tokens.TokenInfo]:
    subject = None if _is_admin(principal) else principal.subject
    return tokens.list_tokens(db, principal.workspace, subject)


@router.post(
    "/api/auth/tokens", status_code=201, summary="Create a personal access token (shown once)"
)
def create_token(body: TokenRequest, principal: PrincipalDep, db: StoreDep) -> tokens.IssuedToken:
    if principal.subject.startswith("service:"):
        raise HTTPException(403, detail="a service token cannot create tokens")
    try:
        issued = tokens.issue(
            db,
            kind="personal",
            name=body.name,
            workspace=principal.workspace,
            subject=principal.subject,
            scopes=body.scopes,
            days=body.days,
            created_by=principal.subject,
        )
    except ValueError as err:
        raise HTTPException(422, detail=str(err)) from None
    _audit(db, principal, "token.create", f"token:{issued.prefix}", {"kind": "personal"})
    return issued


@router.post(
    "/api/auth/service-tokens", status_code=201, summary="Create a service token (shown once)"
)
def create_service_token(
    body: ServiceTokenRequest, principal: PrincipalDep, db: StoreDep
) -> tokens.IssuedToken:
    try:
        issued = tokens.issue(
            db,
            kind="service",
            name=body.name,
            workspace=principal.workspace,
            subject=f"service:{body.name}",
            scopes=body.scopes,
            days=body.days,
            created_by=principal.subject,
            role=body.role,
        )
    except ValueError as err:
        raise HTTPException(422, detail=str(err)) from None
    detail = {"kind": "service", "role": body.role.value}
    _audit(db, principal, "token.create", f"token:{issued.prefix}", detail)
    return issued


@router.delete("/api/auth/tokens/{token_id}", summary="Revoke a token")
def revoke_token(token_id: TokenId, principal: PrincipalDep, db: StoreDep) -> tokens.TokenInfo:
    found = tokens.get_token(db, principal.workspace, token_id)
    if found is None or (found.subject != principal.subject and not _is_admin(principal)):
        raise HTTPException(404, detail=f"no token {token_id} of yours in this workspace")
    revoked = tokens.revoke(db, principal.workspace, token_id)
    _audit(db, principal, "token.revoke", f"token:{revoked.prefix}")
    return revoked


@router.get("/api/auth/members", summary="Members of the workspace and their roles")
def list_members(principal: PrincipalDep, db: StoreDep) -> list[members.Member]:
    return members.list_members(db, principal.workspace)


@router.put("/api/auth/members/{subject}", summary="Add a member or change their role")
def put_member(
    subject: Subject, body: MemberRequest, principal: PrincipalDep, db: StoreDep
) -> members.Member:
    before = members.role_of(db, principal.workspace, subject)
    try:
        done = members.set_member(db, principal.workspace, subject, body.role, principal.subject)
    except ValueError as err:
        raise HTTPException(422, detail=str(err)) from None
    detail = {"from": before.value if before else None, "to": body.role.value}
    _audit(db, principal, "role.change", f"member:{subject}", detail)
    return done


@router.delete("/api/auth/members/{subject}", status_code=204, summary="Remove a member")
def delete_member(subject: Subject, principal: PrincipalDep, db: StoreDep) -> None:
    if subject == principal.subject:
        raise HTTPException(409, detail="you cannot remove yourself; ask another owner")
    if not members.remove_member(db, principal.workspace, subject):
        raise HTTPException(404, detail=f"{subject} is not a member of this workspace")
    _audit(db, principal, "role.change", f"member:{subject}", {"to": None})


@router.get(
    "/api/audit",
    summary="The workspace's audit trail (JSON or CSV)",
    response_model=list[audit.AuditEvent],
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def get_audit(
    principal: PrincipalDep,
    db: StoreDep,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
    action: Annotated[str | None, Query(max_length=100)] = None,
) -> Response | list[audit.AuditEvent]:
    found = audit.events(db, principal.workspace, action)
    if format == "csv":
        return PlainTextResponse(
            audit.to_csv(found),
            media_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
        )
    return found


def _audit(
    db: sessionmaker,
    principal: Principal,
    action: str,
    subject: str,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        db,
        workspace=principal.workspace,
        actor=principal.subject,
        via=principal.via,
        action=action,
        subject=subject,
        detail=detail,
    )
