"""Stored proposals: every suggestion SpecGPT makes is a row with its diff, template version
and model, waiting for a human decision (`review.accept` / `review.reject`). A suggestion
accepted into the Git approval flow lists the Git proposal it became and that proposal's status."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.assistant.git_accept import proposals_of
from agentops_pipelines.assistant.suggest import SectionSuggestion
from agentops_pipelines.assistant.tables import PENDING_APPROVAL, DecisionRow, SuggestionRow


class Suggestion(BaseModel):
    id: int
    workspace: str
    spec_id: str
    feature: str
    kind: str
    requirement_id: str | None
    title: str
    proposal: str
    diff: str
    template: str
    template_version: str
    model: str
    status: str
    created_by: str
    created_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    proposal_id: int | None = Field(
        default=None,
        description="pending_approval: the Git proposal a reviewer approves on the Git page",
    )
    proposal_status: str | None = Field(
        default=None,
        description="that proposal's status: proposed, approved, rejected, pushed, failed",
    )


def save_proposals(
    session_factory: sessionmaker[Session],
    proposals: list[SectionSuggestion],
    *,
    workspace: str,
    user: str,
    feature: str = "suggestion",
) -> list[int]:
    """Store proposals as `proposed`; an identical open proposal (same spec, kind, requirement
    and diff) is not stored twice, so regenerating does not flood the review list."""
    ids: list[int] = []
    now = datetime.now(UTC)
    with session_factory.begin() as session:
        for p in proposals:
            existing = session.scalar(
                select(SuggestionRow.id).where(
                    SuggestionRow.spec_id == p.spec_id,
                    SuggestionRow.kind == p.kind,
                    SuggestionRow.requirement_id.is_(None)
                    if p.requirement_id is None
                    else SuggestionRow.requirement_id == p.requirement_id,
                    SuggestionRow.diff == p.diff,
                    SuggestionRow.status == "proposed",
                )
            )
            if existing is not None:
                ids.append(existing)
                continue
            row = SuggestionRow(
                workspace=workspace,
                spec_id=p.spec_id,
                feature=feature,
                kind=p.kind,
                requirement_id=p.requirement_id,
                title=p.title,
                proposal=p.proposal,
                diff=p.diff,
                base_hash=p.base_hash,
                new_text=p.new_text,
                template=p.template,
                template_version=p.template_version,
                model=p.model,
                status="proposed",
                created_by=user,
                created_at=now,
            )
            session.add(row)
            session.flush()
            ids.append(row.id)
    return ids


def list_suggestions(
    session_factory: sessionmaker[Session],
    spec_id: str | None = None,
    status: str | None = None,
) -> list[Suggestion]:
    with session_factory() as session:
        query = select(SuggestionRow, DecisionRow).outerjoin(
            DecisionRow, DecisionRow.suggestion_id == SuggestionRow.id
        )
        if spec_id:
            query = query.where(SuggestionRow.spec_id == spec_id)
        if status:
            query = query.where(SuggestionRow.status == status)
        rows = session.execute(query.order_by(SuggestionRow.id)).all()
    pending = [(s.id, s.spec_id, s.title) for s, _ in rows if s.status == PENDING_APPROVAL]
    git = proposals_of(session_factory, pending)
    return [_model(s, d, git.get(s.id)) for s, d in rows]


def _model(
    row: SuggestionRow, decision: DecisionRow | None, git: tuple[int, str] | None = None
) -> Suggestion:
    return Suggestion(
        **{k: getattr(row, k) for k in Suggestion.model_fields if hasattr(row, k)},
        decided_by=decision.decided_by if decision else None,
        decided_at=decision.decided_at if decision else None,
        reason=decision.reason if decision else None,
        proposal_id=git[0] if git else None,
        proposal_status=git[1] if git else None,
    )
