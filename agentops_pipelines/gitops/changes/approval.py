"""Human approval of proposed changes: nothing is pushed before a named reviewer approves.

Approve and reject both need a reason, and every decision lands in the audit table in the same
transaction as the status change. A proposal is decided once: only a `proposed` change can be
decided; a failed push is retried by a new proposal (a changed materialisation re-proposes it).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import sessionmaker

from agentops_pipelines.auth import audit
from agentops_pipelines.auth.context import acting
from agentops_pipelines.gitops.change_tables import (
    APPROVED,
    PROPOSED,
    REJECTED,
    ProposalRow,
)
from agentops_pipelines.gitops.changes.audit import record
from agentops_pipelines.gitops.changes.proposals import Proposal, to_model
from agentops_pipelines.settings import current_workspace


class ApprovalError(ValueError):
    """The decision cannot be taken; the message says why and what to do."""


class ProposalNotFound(ApprovalError):
    """No such proposal in the acting workspace (another workspace's is not found either)."""


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
            raise ProposalNotFound(f"proposal {proposal_id} does not exist; reload the list")
        if row.status != PROPOSED:
            raise ApprovalError(
                f"proposal {proposal_id} is {row.status}, not proposed: a proposal is decided "
                "once; a new materialisation of the change proposes it again"
            )
        row.status = APPROVED if approve else REJECTED
        row.updated_at = datetime.now(UTC)
        record(session, row.id, actor, "approve" if approve else "reject", reason)
        principal = acting()
        audit.record(
            session,
            workspace=principal.workspace if principal else current_workspace(),
            actor=actor,
            via=principal.via if principal else "",
            action="proposal.approve" if approve else "proposal.reject",
            subject=f"proposal:{row.id}",
            detail={"repo": row.repo, "branch": row.branch, "reason": reason[:200]},
        )
        session.flush()
        return to_model(row)
