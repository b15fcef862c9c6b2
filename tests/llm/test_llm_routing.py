"""Routing through the real SDKs over HTTP, exact ledger rows, cache, offline path, keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from agentops_pipelines.llm import LLMConfigError, TaskType
from agentops_pipelines.llm.providers.registry import ProviderSettings
from agentops_pipelines.llm.router import build_router
from agentops_pipelines.llm.schemas import TASK_SCHEMAS
from agentops_pipelines.settings import load_settings
from tests.support.llm_test_support import REPO, SECRET_MISTRAL, SECRET_OPENAI, base_policy, req

LEDGER_KEYS = ("provider", "model", "task_type", "spec", "run_id", "tokens_in", "tokens_out")
LEDGER_KEYS += ("cost_micros", "price_version", "cache_hit", "outcome", "error_class", "attempt")


def rows(router) -> list[tuple]:
    return [tuple(r[k] for k in LEDGER_KEYS) for r in router.store.ledger()]


@pytest.mark.parametrize("stream", [False, True])
def test_mistral_first_then_exact_ledger_row(make_router, mistral_server, openai_server, stream):
    router, _, _ = make_router()
    result = router.complete(req(spec="billing/spec.md", run_id="run-1", stream=stream))
    assert result.status == "answered" and result.provider == "mistral"
    assert result.data == {"summary": "Summarise: invoices are emailed monthly."}
    assert mistral_server.requests[0]["stream"] is stream
    assert openai_server.requests == []
    # mistral-small: 120 * 0.10 + 40 * 0.30 = 24 micro-dollars
    assert rows(router) == [
        ("mistral", "mistral-small-latest", "summary", "billing/spec.md", "run-1", 120, 40, 24)
        + ("2026-11-01", False, "ok", None, 1)
    ]


@pytest.mark.parametrize("stream", [False, True])
def test_openai_route_streaming_and_not(make_router, openai_server, stream):
    policy = base_policy()
    policy["tasks"]["plan"]["chain"] = [{"provider": "openai", "model": "gpt-4o"}]
    router, _, _ = make_router(policy)
    result = router.complete(req("# Billing\nSend invoices", task_type="plan", stream=stream))
    assert result.provider == "openai" and result.model == "gpt-4o"
    assert result.data["steps"] == ["Implement: Billing", "Implement: Send invoices"]
    assert openai_server.requests[0]["response_format"] == {"type": "json_object"}
    # gpt-4o: 120 * 2.5 + 40 * 10 = 700 micro-dollars
    assert rows(router) == [
        ("openai", "gpt-4o", "plan", None, None, 120, 40, 700, "2026-11-01", False, "ok", None, 1)
    ]
    assert result.cost_usd == pytest.approx(0.0007)


def test_openai_compatible_base_url_uses_env_model_and_local_price(make_router, openai_server):
    policy = base_policy()
    policy["tasks"]["summary"]["chain"] = [{"provider": "local"}]
    settings = ProviderSettings(compat_base_url=openai_server.base_url, compat_model="llama3.2")
    router, _, _ = make_router(policy, settings)
    result = router.complete(req())
    assert (result.provider, result.model, result.cost_usd) == ("local", "llama3.2", 0.0)
    assert openai_server.requests[0]["model"] == "llama3.2"


def test_cache_hit_costs_nothing_and_is_recorded(make_router, mistral_server):
    router, _, _ = make_router()
    first = router.complete(req("Summarise  this\n  text"))
    second = router.complete(req("Summarise this text"))  # same after whitespace normalisation
    assert second.cache_hit and second.data == first.data
    assert len(mistral_server.requests) == 1
    last = router.store.ledger()[-1]
    assert (last["cache_hit"], last["tokens_in"], last["tokens_out"], last["cost_micros"]) == (
        True,
        0,
        0,
        0,
    )
    assert last["outcome"] == "cache_hit"


def test_cache_ttl_expiry_calls_provider_again(make_router, mistral_server):
    router, _, _ = make_router(cache_ttl_s=0)
    router.complete(req())
    assert not router.complete(req()).cache_hit
    assert len(mistral_server.requests) == 2


def test_offline_path_with_no_keys_and_shipped_policy(tmp_path):
    router = build_router(
        REPO / "config" / "llm_policy.yaml", f"sqlite:///{tmp_path / 'a.db'}", ProviderSettings()
    )
    for task in TaskType:
        result = router.complete(req("# Spec\nUsers can export invoices as PDF", task_type=task))
        assert result.status == "answered" and result.provider == "offline"
        TASK_SCHEMAS[task].model_validate(result.data)
    status = router.provider_status()
    assert "OPENAI_API_KEY is not set" in status["openai"]
    assert "MISTRAL_API_KEY is not set" in status["mistral"]


def test_offline_answers_custom_schema(tmp_path):
    class Estimate(BaseModel):
        task: str
        hours: float
        tags: list[str]

    router = build_router(
        REPO / "config" / "llm_policy.yaml", f"sqlite:///{tmp_path / 'a.db'}", ProviderSettings()
    )
    result = router.complete(req(task_type="plan", output_schema=Estimate))
    assert Estimate.model_validate(result.data).hours == 0


def test_keys_switch_routes_from_env_without_code_change(tmp_path, mistral_server):
    env = {"MISTRAL_API_KEY": SECRET_MISTRAL, "MISTRAL_BASE_URL": mistral_server.base_url}
    router = build_router(
        REPO / "config" / "llm_policy.yaml",
        f"sqlite:///{tmp_path / 'a.db'}",
        load_settings(env).llm,
    )
    assert router.complete(req()).provider == "mistral"


def test_keys_never_reach_ledger_status_or_review_queue(make_router, mistral_server, openai_server):
    router, _, _ = make_router()
    mistral_server.script(*["500"] * 3)
    openai_server.script(*["invalid"] * 2)
    result = router.complete(req())
    assert result.status == "queued_for_review"
    dumped = json.dumps(
        [router.store.ledger(), router.store.review_items(), router.provider_status()], default=str
    )
    dumped += repr(ProviderSettings(openai_api_key=SECRET_OPENAI))
    assert SECRET_OPENAI not in dumped and SECRET_MISTRAL not in dumped


def test_policy_errors_are_actionable(tmp_path):
    policy = base_policy()
    policy["tasks"]["plan"]["chain"] = [{"provider": "nope"}]
    path = Path(tmp_path / "p.yaml")
    path.write_text(json.dumps(policy))
    with pytest.raises(LLMConfigError, match="unknown provider 'nope'"):
        build_router(path, f"sqlite:///{tmp_path / 'a.db'}", ProviderSettings())


def test_unpriced_model_is_refused_at_construction(make_router):
    policy = base_policy()
    policy["tasks"]["plan"]["chain"] = [{"provider": "openai", "model": "gpt-unknown"}]
    with pytest.raises(LLMConfigError, match="gpt-unknown"):
        make_router(policy)
