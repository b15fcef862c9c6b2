"""Reads (and the two reviewer actions) of the "LLM routing" page.

Loaders take the store URL and the policy path as arguments so the cache key follows the
configuration (a test pointing AGENTOPS_DB_URL at a tmp dir never sees another run's cache); the
short ttl lets breaker changes made by Dagster or the API show up without a restart.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import streamlit as st
from pydantic import BaseModel, Field
from sqlalchemy import Engine, case, func, select

from agentops_pipelines.llm.breaker_store import BreakerStore
from agentops_pipelines.llm.policy import load_policy
from agentops_pipelines.llm.providers.registry import build_providers
from agentops_pipelines.llm.store import LLMStore, open_llm_engines
from agentops_pipelines.llm.tables import BudgetRow, LedgerRow
from agentops_pipelines.settings import get_settings

CACHE_TTL_SECONDS = 10
RECENT_CALLS = 200
DEFAULT_POLICY = Path(__file__).resolve().parents[1] / "config" / "llm_policy.yaml"


class LLMOverview(BaseModel):
    breakers: list[dict] = Field(default_factory=list)
    open_reviews: list[dict] = Field(default_factory=list)
    handled_reviews: list[dict] = Field(default_factory=list)
    budgets: list[dict] = Field(default_factory=list)
    recent_calls: list[dict] = Field(default_factory=list)
    total_calls: int = 0
    total_cost_usd: float = 0.0
    cache_hits: int = 0


def db_url() -> str:
    return get_settings().app_db_url


def policy_path() -> str:
    return str(get_settings().llm.policy)


@st.cache_resource(show_spinner=False)
def engine_for(url: str) -> Engine:
    """Migrated once per process: an empty home gets the tables instead of an error."""
    engine, _ = open_llm_engines(url)
    return engine


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def breaker_rows(engine: Engine, policy_file: str) -> list[dict]:
    """Every provider of the policy; one never written to the store has never failed: closed."""
    policy = load_policy(policy_file)
    _, _, disabled = build_providers(policy, get_settings().llm)
    stored = {row["provider"]: row for row in BreakerStore(engine).all()}
    rows = []
    for name in sorted(set(policy.providers) | set(stored)):
        row = stored.get(name, {})
        rows.append(
            {
                "provider": name,
                "state": row.get("state", "closed"),
                "consecutive_failures": row.get("consecutive_failures", 0),
                "window_failures": row.get("window_failures", 0),
                "window_requests": row.get("window_requests", 0),
                "since": _when(row.get("since")),
                "opened_at": _when(row.get("opened_at")),
                "configured": disabled.get(name, "enabled"),
            }
        )
    return rows


def budget_rows(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(BudgetRow.__table__).order_by("scope", "key")).all()
    return [
        {
            "scope": r.scope,
            "key": r.key,
            "limit_usd": r.limit_micros / 1e6,
            "spent_usd": r.spent_micros / 1e6,
            "reserved_usd": r.reserved_micros / 1e6,
            "burn": (r.spent_micros + r.reserved_micros) / r.limit_micros
            if r.limit_micros
            else 1.0,
        }
        for r in rows
    ]


def recent_calls(engine: Engine, limit: int = RECENT_CALLS) -> list[dict]:
    table = LedgerRow.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.id.desc()).limit(limit)).all()
    calls = []
    for r in rows:
        call = dict(r._mapping)
        call["cost_usd"] = call.pop("cost_micros") / 1e6
        calls.append(call)
    return calls


def ledger_totals(engine: Engine) -> tuple[int, float, int]:
    """(provider calls, total cost in USD, cache hits), aggregated in SQL."""
    t = LedgerRow.__table__
    hits = func.coalesce(func.sum(case((t.c.cache_hit, 1), else_=0)), 0)
    query = select(func.count(), func.coalesce(func.sum(t.c.cost_micros), 0), hits)
    with engine.connect() as conn:
        rows, cost, cache_hits = conn.execute(query).one()
    return int(rows) - int(cache_hits), int(cost) / 1e6, int(cache_hits)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_overview(url: str, policy_file: str) -> LLMOverview:
    engine = engine_for(url)
    store = LLMStore(engine)
    calls, cost, hits = ledger_totals(engine)
    handled = store.review_items("resolved") + store.review_items("rejected")
    return LLMOverview(
        breakers=breaker_rows(engine, policy_file),
        open_reviews=store.review_items("open"),
        handled_reviews=sorted(handled, key=lambda i: i["id"], reverse=True)[:50],
        budgets=budget_rows(engine),
        recent_calls=recent_calls(engine),
        total_calls=calls,
        total_cost_usd=cost,
        cache_hits=hits,
    )


def resolve(url: str, policy_file: str, item_id: int, answer: str, reviewer: str) -> None:
    """Record the reviewer's answer and cache it for the same request (policy cache TTL)."""
    ttl = load_policy(policy_file).cache_ttl_s
    LLMStore(engine_for(url)).resolve_review(item_id, answer, reviewer, cache_ttl_s=ttl)
    load_overview.clear()


def dismiss(url: str, item_id: int, reason: str, reviewer: str) -> None:
    LLMStore(engine_for(url)).dismiss_review(item_id, reason, reviewer)
    load_overview.clear()
