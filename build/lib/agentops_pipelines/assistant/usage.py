"""The SpecGPT usage log: one row per request, with tokens and cost taken from the router's
ledger (never recomputed here), latency and retrieval hits."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.assistant.tables import UsageRow
from agentops_pipelines.llm import Router


class UsageEntry(BaseModel):
    workspace: str
    user: str
    feature: str
    outcome: str
    template: str | None = None
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_micros: int = 0
    latency_ms: float = 0.0
    retrieval_hits: int = 0
    redactions: int = 0


def ledger_totals(router: Router | None, run_id: str) -> tuple[int, int, int]:
    """(tokens in, tokens out, cost in micro-dollars) the router booked under `run_id`."""
    if router is None:
        return 0, 0, 0
    rows = router.store.ledger(run_id=run_id)
    return (
        sum(r["tokens_in"] for r in rows),
        sum(r["tokens_out"] for r in rows),
        sum(r["cost_micros"] for r in rows),
    )


def log_usage(session_factory: sessionmaker[Session], entry: UsageEntry) -> None:
    with session_factory.begin() as session:
        session.add(
            UsageRow(
                at=datetime.now(UTC),
                workspace=entry.workspace,
                user_name=entry.user,
                feature=entry.feature,
                template=entry.template,
                model=entry.model,
                outcome=entry.outcome,
                tokens_in=entry.tokens_in,
                tokens_out=entry.tokens_out,
                cost_micros=entry.cost_micros,
                latency_ms=entry.latency_ms,
                retrieval_hits=entry.retrieval_hits,
                redactions=entry.redactions,
            )
        )


def usage_summary(session_factory: sessionmaker[Session]) -> list[dict[str, object]]:
    """Per feature: requests, tokens, cost (USD), mean latency, mean retrieval hits."""
    with session_factory() as session:
        rows = session.execute(
            select(
                UsageRow.feature,
                func.count(UsageRow.id),
                func.sum(UsageRow.tokens_in + UsageRow.tokens_out),
                func.sum(UsageRow.cost_micros),
                func.avg(UsageRow.latency_ms),
                func.avg(UsageRow.retrieval_hits),
            ).group_by(UsageRow.feature)
        ).all()
    return [
        {
            "feature": feature,
            "requests": count,
            "tokens": int(tokens or 0),
            "cost_usd": (cost or 0) / 1e6,
            "mean_latency_ms": round(float(latency or 0), 1),
            "mean_retrieval_hits": round(float(hits or 0), 2),
        }
        for feature, count, tokens, cost, latency, hits in rows
    ]
