"""Usage summaries for materialisation metadata, the API and the UI."""

from __future__ import annotations

from collections import Counter

from agentops_pipelines.llm.router import Router


def usage_summary(router: Router, run_id: str) -> dict[str, object]:
    """Plain values (no secrets) summarising one run's LLM calls and the breaker states."""
    rows = router.store.ledger(run_id=run_id)
    breakers = router.breaker_states()  # shared state: what every process currently sees
    outcomes = Counter(r["outcome"] for r in rows)
    return {
        "llm_calls": sum(1 for r in rows if not r["cache_hit"]),
        "llm_cache_hits": sum(1 for r in rows if r["cache_hit"]),
        "llm_tokens_in": sum(r["tokens_in"] for r in rows),
        "llm_tokens_out": sum(r["tokens_out"] for r in rows),
        "llm_cost_usd": sum(r["cost_micros"] for r in rows) / 1e6,
        "llm_errors": outcomes.get("error", 0),
        "llm_invalid_outputs": outcomes.get("invalid", 0),
        "llm_providers": sorted({r["provider"] for r in rows}),
        "llm_price_version": router.prices.version,
        "llm_breakers": {n: s.state.value for n, s in breakers.items()},
        "llm_breaker_failures": {n: s.consecutive_failures for n, s in breakers.items()},
    }
