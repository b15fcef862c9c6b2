"""API bearer tokens: personal (act as their user, with the user's current role) and service
(a role of their own), each scoped to one workspace and a set of scopes.

Only the SHA-256 of a token is stored: tokens are 256 random bits, so a fast hash is enough (no
password to stretch), and a leaked table holds nothing usable. The clear token is returned once,
by `issue`. Revoked or expired tokens authenticate nobody.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.auth import audit
from agentops_pipelines.auth.roles import Role
from agentops_pipelines.auth.tables import TokenRow

TOKEN_PREFIX = "aops_"
MAX_DAYS = 366
USE_AUDIT_INTERVAL = timedelta(hours=1)
Kind = Literal["personal", "service"]
_SCOPE = re.compile(r"^(\*|[a-z]+:(read|write|admin))$")
_TOKEN = re.compile(r"^aops_[pst]_[A-Za-z0-9_-]{43}$")


class TokenInfo(BaseModel):
    """What may be shown about a token after it was issued: never the token itself."""

    id: int
    prefix: str = Field(description="first characters, to recognise the token")
    kind: Kind
    name: str
    workspace: str
    subject: str
    role: Role | None
    scopes: list[str]
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class IssuedToken(TokenInfo):
    token: str = Field(description="shown once: store it now, it cannot be read back")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_scopes(scopes: list[str]) -> list[str]:
    bad = [s for s in scopes if not _SCOPE.match(s)]
    if bad or not scopes:
        raise ValueError(
            f"scopes {bad or scopes!r} are not valid: give '*' or area:level with level read, "
            "write or admin (e.g. git:read, marketplace:write)"
        )
    return sorted(set(scopes))


def _info(row: TokenRow) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        prefix=row.prefix,
        kind=row.kind,  # type: ignore[arg-type]
        name=row.name,
        workspace=row.workspace,
        subject=row.subject,
        role=Role(row.role) if row.role else None,
        scopes=list(row.scopes),
        created_by=row.created_by,
        created_at=_utc(row.created_at),
        expires_at=_utc(row.expires_at),
        revoked_at=_utc(row.revoked_at) if row.revoked_at else None,
        last_used_at=_utc(row.last_used_at) if row.last_used_at else None,
    )


def _utc(at: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stamp here was written in UTC."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def issue(
    sessions: sessionmaker,
    *,
    kind: Kind,
    name: str,
    workspace: str,
    subject: str,
    scopes: list[str],
    days: int,
    created_by: str,
    role: Role | None = None,
) -> IssuedToken:
    """Create a token and return it in clear, once."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days={days} is out of range: a token expires in 1 to {MAX_DAYS} days")
    if not name.strip() or not workspace.strip() or not subject.strip():
        raise ValueError("name, workspace and subject of a token must not be empty")
    if kind == "service" and role is None:
        raise ValueError("a service token needs a role (e.g. viewer for a metrics scraper)")
    if kind == "personal" and role is not None:
        raise ValueError("a personal token acts with its user's role; do not give it a role")
    token = f"{TOKEN_PREFIX}{kind[0]}_{secrets.token_urlsafe(32)}"
    now = datetime.now(UTC)
    row = TokenRow(
        token_hash=digest(token),
        prefix=token[:12],
        kind=kind,
        name=name.strip(),
        workspace=workspace.strip(),
        subject=subject.strip(),
        role=role.value if role else None,
        scopes=check_scopes(scopes),
        created_by=created_by,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    with sessions.begin() as session:
        session.add(row)
        session.flush()
        info = _info(row)
    return IssuedToken(**info.model_dump(), token=token)


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def authenticate(sessions: sessionmaker, token: str) -> TokenInfo | None:
    """The live token for this secret (stamping its last use), or None."""
    if not _TOKEN.match(token):
        return None
    now = datetime.now(UTC)
    with sessions.begin() as session:
        row = session.scalar(select(TokenRow).where(TokenRow.token_hash == digest(token)))
        if row is None or row.revoked_at is not None or _utc(row.expires_at) <= now:
            return None
        previous = _utc(row.last_used_at) if row.last_used_at else None
        row.last_used_at = now
        if previous is None or now - previous >= USE_AUDIT_INTERVAL:
            # Reads too: a token's first use and then one line an hour (every change it makes
            # is its own `api.call` line), so the trail shows when each credential was live.
            audit.record(
                session,
                workspace=row.workspace,
                actor=row.subject,
                via=f"token:{row.prefix}",
                action="token.use",
                subject=f"token:{row.prefix}",
                detail={"first_use": previous is None},
            )
        return _info(row)


def list_tokens(
    sessions: sessionmaker, workspace: str, subject: str | None = None
) -> list[TokenInfo]:
    query = select(TokenRow).where(TokenRow.workspace == workspace).order_by(TokenRow.id)
    if subject is not None:
        query = query.where(TokenRow.subject == subject)
    with sessions() as session:
        return [_info(r) for r in session.scalars(query)]


def get_token(sessions: sessionmaker, workspace: str, token_id: int) -> TokenInfo | None:
    with sessions() as session:
        row = session.get(TokenRow, token_id)
        return _info(row) if row is not None and row.workspace == workspace else None


def revoke(sessions: sessionmaker, workspace: str, token_id: int) -> TokenInfo:
    with sessions.begin() as session:
        row = session.get(TokenRow, token_id)
        if row is None or row.workspace != workspace:
            raise LookupError(f"token {token_id} does not exist in workspace {workspace!r}")
        if row.revoked_at is None:
            row.revoked_at = datetime.now(UTC)
        return _info(row)
