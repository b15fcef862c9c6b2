"""Authentication and authorization of the API, in one place.

`IdentityMiddleware` authenticates the bearer credential and replaces whatever identity headers
the client sent (`X-AgentOps-User`, `X-AgentOps-Workspace`) with the authenticated ones, so the
handlers that read them see only a verified identity. `enforce`, an app-wide dependency, looks up
the matched route in `auth.policy.ROUTES` and answers 401 (no or bad credential), 404 (another
workspace) or 403 (missing role or scope). Non-GET calls that pass are written to the audit log.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import sessionmaker
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from agentops_pipelines.auth import audit
from agentops_pipelines.auth.authenticate import Outcome, authenticate
from agentops_pipelines.auth.config import AuthConfig
from agentops_pipelines.auth.context import set_acting
from agentops_pipelines.auth.policy import ROUTES, rule_for
from agentops_pipelines.auth.principal import Principal
from agentops_pipelines.auth.roles import satisfies
from agentops_pipelines.store.db import open_store

USER_HEADER, WORKSPACE_HEADER = b"x-agentops-user", b"x-agentops-workspace"
_STATE = "agentops_auth"


def auth_store(url: str) -> sessionmaker:
    """The app store's session factory (`open_store` caches it per process and URL)."""
    return open_store(url)


class IdentityMiddleware:
    def __init__(self, app: ASGIApp, config: AuthConfig, db_url: str, workspace: str) -> None:
        self.app, self.config, self.db_url, self.workspace = app, config, db_url, workspace

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope)
        raw = given.get("x-agentops-workspace")
        if raw is not None and not raw.strip():  # present but blank: a client bug, not "default"
            refusal = JSONResponse(
                {"detail": "X-AgentOps-Workspace is empty: name a workspace or leave it out"},
                status_code=422,
            )
            await refusal(scope, receive, send)
            return
        wanted = (raw or "").strip() or None
        outcome = await run_in_threadpool(
            authenticate,
            auth_store(self.db_url),
            self.config,
            given.get("authorization"),
            wanted,
            self.workspace,
        )
        kept = [(k, v) for k, v in scope["headers"] if k not in (USER_HEADER, WORKSPACE_HEADER)]
        if outcome.principal is not None:
            kept += [
                (USER_HEADER, outcome.principal.subject.encode()),
                (WORKSPACE_HEADER, outcome.principal.workspace.encode()),
            ]
        scope["headers"] = kept
        scope.setdefault("state", {})[_STATE] = outcome
        await self.app(scope, receive, send)


def _outcome(request: Request) -> Outcome:
    found = request.scope.get("state", {}).get(_STATE)
    return found if isinstance(found, Outcome) else Outcome()


def _template(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path_format", None) or getattr(route, "path", ""))


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


async def enforce(request: Request) -> None:
    """App-wide dependency: the route's rule from the one policy table, or refuse."""
    path = _template(request)
    rule = rule_for(request.method, path)
    if rule is None:
        raise HTTPException(403, detail=f"{request.method} {path} has no access rule; refused")
    if rule.public:
        return
    outcome = _outcome(request)
    principal = outcome.principal
    if principal is None:
        raise _unauthorized(
            outcome.problem
            or "sign in: send `Authorization: Bearer <token>` (create one with "
            "`agentops auth token create` or POST /api/auth/tokens)"
        )
    if outcome.foreign:
        raise HTTPException(404, detail="no such workspace for this credential")
    if principal.role is None:
        raise HTTPException(
            403,
            detail=f"{principal.subject} is not a member of workspace {principal.workspace!r}; "
            "ask one of its owners to add you",
        )
    if rule.role is not None and not satisfies(principal.role, rule.role):
        raise HTTPException(
            403,
            detail=f"{request.method} {path} needs the {rule.role.value} role in "
            f"{principal.workspace!r}; you are {principal.role.value}",
        )
    if rule.scope and not principal.has_scope(rule.scope):
        raise HTTPException(403, detail=f"this token lacks the {rule.scope} scope")
    set_acting(principal)
    if request.method not in ("GET", "HEAD"):
        await run_in_threadpool(_audit_call, request, principal, path)


def _audit_call(request: Request, principal: Principal, path: str) -> None:
    """Every authorised change is attributed to its credential (token use), before it runs."""
    audit.record(
        auth_store(request.app.state.settings.app_db_url),
        workspace=principal.workspace,
        actor=principal.subject,
        via=principal.via,
        action="api.call",
        subject=f"{request.method} {path}",
        detail={k: str(v)[:200] for k, v in request.path_params.items()} or None,
    )


def principal_of(request: Request) -> Principal:
    """For handlers that need the caller (only ever after `enforce` passed)."""
    principal = _outcome(request).principal
    if principal is None:
        raise _unauthorized("sign in first")
    return principal


_ERRORS: dict[str, dict[str, Any]] = {
    "401": {"description": "No credential, or an invalid, expired or revoked one"},
    "403": {"description": "Signed in, but the role or the token's scope does not allow it"},
    "404": {"description": "Not found in this workspace (or another workspace was asked for)"},
}


# The body every refusal of this layer carries: {"detail": "<what was wrong and what to do>"}.
_REFUSAL_BODY: dict[str, Any] = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}


def _document_refusal(responses: dict[str, Any], code: str, body: dict[str, Any]) -> None:
    """Add this layer's 401/403/404 to an operation; where the route documents the same status
    with its own body (a marketplace 404 Problem, say), either body may come back."""
    own = responses.get(code)
    if own is None:
        responses[code] = {**body, "content": {"application/json": {"schema": _REFUSAL_BODY}}}
        return
    media = own.setdefault("content", {}).setdefault("application/json", {})
    existing = media.get("schema")
    media["schema"] = {"anyOf": [existing, _REFUSAL_BODY]} if existing else _REFUSAL_BODY


def _identity_header(parameter: dict[str, Any]) -> bool:
    name = str(parameter.get("name", "")).lower()
    return parameter.get("in") == "header" and name == "x-agentops-user"


def document(app: FastAPI) -> None:
    """The schema says which operations need a bearer token, and the 401/403/404 they give."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "AgentOps API token (aops_...) or an OIDC ID/access token",
        }
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                rule = ROUTES.get((method.upper(), path))
                if rule is None or rule.public:
                    continue
                operation["security"] = [{"bearer": []}]
                # The caller's name comes from the credential; a client's X-AgentOps-User is
                # dropped by IdentityMiddleware, so the schema does not ask for it.
                operation["parameters"] = [
                    p for p in operation.get("parameters", []) if not _identity_header(p)
                ]
                responses = operation.setdefault("responses", {})
                for code, body in _ERRORS.items():
                    _document_refusal(responses, code, body)
                role = rule.role.value if rule.role else ""
                operation["description"] = (
                    operation.get("description", "") + f"\n\nNeeds role **{role}**, "
                    f"token scope `{rule.scope}`."
                ).strip()
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
