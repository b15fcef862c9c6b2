"""The router's store on real PostgreSQL: shared breaker (upsert RETURNING, probe compare-and-set),
budget reservation with FOR UPDATE, ledger rows and a reviewer's resolution."""

import shutil

import pytest
import yaml

from agentops_pipelines.llm.breaker import BreakerState
from agentops_pipelines.llm.providers.registry import ProviderSettings
from agentops_pipelines.llm.router import build_router
from tests.support.llm_test_support import (
    REPO,
    SECRET_MISTRAL,
    SECRET_OPENAI,
    FakeClock,
    base_policy,
    req,
)

pytestmark = pytest.mark.postgres


def test_router_store_on_postgres(pg_url, tmp_path, openai_server, mistral_server):
    policy = base_policy()
    policy["breaker"]["sync_s"] = 0
    (tmp_path / "llm_policy.yaml").write_text(yaml.safe_dump(policy))
    shutil.copy(REPO / "config" / "llm_prices.yaml", tmp_path / "llm_prices.yaml")
    settings = ProviderSettings(
        openai_api_key=SECRET_OPENAI,
        openai_base_url=openai_server.base_url,
        mistral_api_key=SECRET_MISTRAL,
        mistral_base_url=mistral_server.base_url,
    )
    clocks = [FakeClock(), FakeClock()]
    a, b = (
        build_router(tmp_path / "llm_policy.yaml", pg_url, settings, sleep=lambda _s: None, clock=c)
        for c in clocks
    )
    a.set_budget("workspace", "default", 1.0)
    mistral_server.script("500", "500", "500")
    assert a.complete(req("one")).provider == "openai"
    assert b.breaker_states()["mistral"].state is BreakerState.OPEN
    assert b.complete(req("two")).provider == "openai" and len(mistral_server.requests) == 3

    clocks[0].now += 11
    clocks[1].now += 11
    assert a.breakers["mistral"].allow() is True
    assert b.breakers["mistral"].allow() is False  # one probe across both routers
    a.breakers["mistral"].record(True)
    assert b.breaker_states()["mistral"].state is BreakerState.CLOSED

    status = a.budgets.status("workspace", "default")
    ledger_cost = sum(r["cost_micros"] for r in a.store.ledger())
    assert status["reserved_micros"] == 0 and status["spent_micros"] == ledger_cost > 0

    mistral_server.script("invalid", "invalid")
    openai_server.script("invalid", "invalid")
    item_id = a.complete(req("three")).review_item_id
    a.store.resolve_review(item_id, '{"summary": "done"}', "ana", cache_ttl_s=60)
    answered = b.complete(req("three"))
    assert answered.cache_hit and answered.data == {"summary": "done"}
