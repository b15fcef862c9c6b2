"""Human approval of proposed changes: nothing is pushed before a named reviewer approves.

Approve and reject both need a reason, and every decision lands in the audit table in the same
transaction as the status change. Only a `proposed` (or `failed`, to retry) change can be decided.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.audit import record
from agentops_pipelines.gitops.change_tables import (
    APPROVED,
    FAILED,
    PROPOSED,
    REJECTED,
    ProposalRow,
)
from agentops_pipelines.gitops.proposals import Proposal, to_model


class ApprovalError(ValueError):
    """The decision cannot be taken; the message says why and what to do."""


def decide(
    sessions: sessionmaker, proposal_id: int, *, approve: bool, actor: str, reason: str
) -> Proposal:
    actor, reason = actor.strip(), reason.strip()
    if not actor:
        raise ApprovalError("reviewer name is empty: say who approves or rejects the change")
    if not reason:
        verb = "approving" if approve else "rejecting"
        raise ApprovalError(f"a reason is required when {verb} proposal {proposal_id}")
    with sessions.begin() as session:
        row = session.get(ProposalRow, proposal_id, with_for_update=True)
        if row is None:
            raise ApprovalError(f"proposal {proposal_id} does not exist; reload the list")
        if row.status not in (PROPOSED, FAILED):
            raise ApprovalError(
                f"proposal {proposal_id} is {row.status}, not proposed: only a proposed (or a "
                "failed) change can be decided; a new materialisation re-proposes it"
            )
        row.status = APPROVED if approve else REJECTED
        row.updated_at = datetime.now(UTC)
        record(session, row.id, actor, "approve" if approve else "reject", reason)
        session.flush()
        return to_model(row)
