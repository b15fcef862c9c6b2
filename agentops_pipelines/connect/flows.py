"""Pending OAuth flows: the state sent to GitHub maps to its PKCE verifier, used once.

The browser leaves the pages for GitHub and comes back in a new Streamlit session, so the flow
is kept in the app store (only the state's SHA-256, never the state itself) for ten minutes.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import delete
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.connect.pkce import new_verifier
from agentops_pipelines.connect.tables import OAuthFlowRow

Purpose = Literal["sign_in", "install", "connect"]
"""sign_in: a person signs in; install: the App install page; connect: the admin confirms,
with their own GitHub token, the installation GitHub sent back."""
FLOW_TTL = timedelta(minutes=10)


class FlowError(ValueError):
    """The state GitHub sent back is unknown, used, expired or for another purpose."""


class PendingFlow(BaseModel):
    state: str
    verifier: str
    purpose: Purpose
    workspace: str
    actor: str | None = None
    installation_id: int | None = None


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def begin(
    sessions: sessionmaker,
    purpose: Purpose,
    workspace: str,
    actor: str | None = None,
    installation_id: int | None = None,
) -> PendingFlow:
    flow = PendingFlow(
        state=secrets.token_urlsafe(32),
        verifier=new_verifier(),
        purpose=purpose,
        workspace=workspace,
        actor=actor,
        installation_id=installation_id,
    )
    now = datetime.now(UTC)
    with sessions.begin() as session:
        session.execute(delete(OAuthFlowRow).where(OAuthFlowRow.created_at < now - FLOW_TTL))
        session.add(
            OAuthFlowRow(
                state_hash=_hash(flow.state),
                purpose=purpose,
                workspace=workspace,
                actor=actor,
                verifier=flow.verifier,
                installation_id=installation_id,
                created_at=now,
            )
        )
    return flow


def consume(sessions: sessionmaker, state: str, *purposes: Purpose) -> PendingFlow:
    """The flow `state` started, removed so it cannot be replayed; FlowError otherwise."""
    if not state or len(state) > 200:
        raise FlowError("the sign-in link carries no valid state; start again")
    with sessions.begin() as session:
        row = session.get(OAuthFlowRow, _hash(state))
        if row is not None:
            session.delete(row)  # used once, whatever the outcome below
    if row is None:
        raise FlowError("this sign-in link is unknown or was used already; start again")
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    if datetime.now(UTC) - created > FLOW_TTL:
        raise FlowError("this sign-in link expired (10 minutes); start again")
    if row.purpose not in purposes:
        wanted = " or ".join(purposes)
        raise FlowError(f"this link was started for {row.purpose}, not {wanted}; start again")
    return PendingFlow(
        state=state,
        verifier=row.verifier,
        purpose=row.purpose,
        workspace=row.workspace,
        actor=row.actor,
        installation_id=row.installation_id,
    )
