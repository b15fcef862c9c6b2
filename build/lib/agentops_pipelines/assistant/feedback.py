"""Feedback: the acceptance rate per feature and template version (the seed's success metric,
>= 40% accepted). `acceptance_rates()` is the export the KPI report and the API read; the dbt
model `fct_suggestion_acceptance` computes the same per day from the warehouse copy."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.assistant.tables import (
    ACCEPTED,
    PENDING_APPROVAL,
    PROPOSED,
    REJECTED,
    SuggestionRow,
)


class AcceptanceRate(BaseModel):
    feature: str
    template: str
    accepted: int
    rejected: int
    pending: int

    @property
    def decided(self) -> int:
        return self.accepted + self.rejected

    @property
    def rate(self) -> float | None:
        return self.accepted / self.decided if self.decided else None


def acceptance_rates(session_factory: sessionmaker[Session]) -> list[AcceptanceRate]:
    """Accepted / (accepted + rejected) per feature and template version (the seed's success
    metric: >= 40% accepted). Exported for the KPI report. A suggestion waiting for Git approval
    counts as accepted: the human accepted it (as the dbt model, which counts decisions)."""
    with session_factory() as session:
        rows = session.execute(
            select(
                SuggestionRow.feature,
                SuggestionRow.template,
                SuggestionRow.status,
                func.count(SuggestionRow.id),
            ).group_by(SuggestionRow.feature, SuggestionRow.template, SuggestionRow.status)
        ).all()
    table: dict[tuple[str, str], AcceptanceRate] = {}
    for feature, template, status, count in rows:
        rate = table.setdefault(
            (feature, template),
            AcceptanceRate(feature=feature, template=template, accepted=0, rejected=0, pending=0),
        )
        if status in (ACCEPTED, PENDING_APPROVAL):
            rate.accepted += count
        elif status == REJECTED:
            rate.rejected += count
        elif status == PROPOSED:
            rate.pending += count
    return sorted(table.values(), key=lambda r: (r.feature, r.template))
