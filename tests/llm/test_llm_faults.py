"""Injected faults over HTTP: retries, Retry-After, fallback order, repair, escalation, breaker,
rate limits, and no lost work under 30% failures."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from agentops_pipelines.llm.breaker import BreakerState
from tests.support.llm_test_support import base_policy, req


def trail(router) -> list[tuple]:
    return [(r["provider"], r["outcome"], r["error_class"]) for r in router.store.ledger()]


def test_429_honours_retry_after(make_router, mistral_server):
    router, sleeps, _ = make_router()
    mistral_server.script(("429", 0.03))
    result = router.complete(req())
    assert result.provider == "mistral" and result.attempts == 2
    assert sleeps == [0.03]
    assert trail(router) == [("mistral", "error", "rate_limited"), ("mistral", "ok", None)]


def test_retry_after_is_capped_by_policy(make_router, openai_server):
    policy = base_policy()
    policy["tasks"]["summary"]["chain"] = [{"provider": "openai"}]
    router, sleeps, _ = make_router(policy)
    openai_server.script(("429", 120))
    router.complete(req())
    assert sleeps == [0.05]


@pytest.mark.parametrize(
    ("fault", "error_class"),
    [("500", "server_error"), ("503", "server_error"), ("reset", "connection")],
)
@pytest.mark.parametrize("flavor", ["mistral", "openai"])
def test_transient_fault_is_retried_with_backoff(make_router, request, flavor, fault, error_class):
    policy = base_policy()
    policy["tasks"]["summary"]["chain"] = [{"provider": flavor}]
    router, sleeps, _ = make_router(policy)
    request.getfixturevalue(f"{flavor}_server").script(fault, fault)
    result = router.complete(req())
    assert result.status == "answered" and result.attempts == 3
    assert trail(router) == [(flavor, "error", error_class)] * 2 + [(flavor, "ok", None)]
    assert len(sleeps) == 2 and all(0 <= s <= 0.004 for s in sleeps)


def test_timeout_is_per_call_and_retried(make_router, mistral_server):
    router, _, _ = make_router()
    mistral_server.script(("timeout", 0.4))
    result = router.complete(req())
    assert result.provider == "mistral"
    assert trail(router) == [("mistral", "error", "timeout"), ("mistral", "ok", None)]


def test_exhausted_retries_fall_back_in_policy_order(make_router, mistral_server, openai_server):
    router, _, _ = make_router()
    mistral_server.script("503", "500", "503")
    result = router.complete(req())
    assert (result.provider, result.escalations, result.attempts) == ("openai", 1, 4)
    assert [p for p, _, _ in trail(router)] == ["mistral"] * 3 + ["openai"]


def test_truncated_json_gets_one_repair_retry(make_router, mistral_server):
    router, _, _ = make_router()
    mistral_server.script("truncated")
    result = router.complete(req())
    assert result.provider == "mistral" and result.data is not None
    assert trail(router) == [("mistral", "invalid", "invalid_json"), ("mistral", "ok", None)]
    repair = mistral_server.requests[1]["messages"][-1]["content"]
    assert "rejected" in repair and "not valid JSON" in repair


def test_schema_invalid_twice_escalates_to_next_provider(
    make_router, mistral_server, openai_server
):
    router, _, _ = make_router()
    mistral_server.script("invalid", "invalid")
    result = router.complete(req())
    assert result.provider == "openai" and result.escalations == 1
    assert trail(router) == [("mistral", "invalid", "schema_invalid")] * 2 + [
        ("openai", "ok", None)
    ]


def test_all_invalid_lands_in_human_review_queue(make_router, mistral_server, openai_server):
    router, _, _ = make_router()
    mistral_server.script("invalid", "invalid")
    openai_server.script("invalid", "truncated")
    result = router.complete(req(spec="s.md", run_id="r9"))
    assert result.status == "queued_for_review" and result.escalations == 2
    (item,) = router.store.review_items()
    assert item["id"] == result.review_item_id
    assert (item["spec"], item["run_id"], item["task_type"]) == ("s.md", "r9", "summary")
    assert "still invalid after repair" in item["reason"]
    assert item["messages"][0]["content"].startswith("Summarise")


def test_breaker_opens_skips_then_half_open_probe_closes(make_router, mistral_server):
    router, _, clock = make_router()
    mistral_server.script("500", "500", "500")
    assert router.complete(req("one")).provider == "openai"
    assert router.breaker_states()["mistral"].state is BreakerState.OPEN
    assert router.complete(req("two")).provider == "openai"
    assert len(mistral_server.requests) == 3  # skipped while open
    clock.now += 11  # past the 10 s cooldown: one half-open probe goes through
    assert router.complete(req("three")).provider == "mistral"
    snap = router.breaker_states()["mistral"]
    assert snap.state is BreakerState.CLOSED
    assert snap.transitions == ["closed->open", "open->half_open", "half_open->closed"]


def test_failed_half_open_probe_reopens(make_router, mistral_server):
    router, _, clock = make_router()
    mistral_server.script("500", "500", "500", "503")
    router.complete(req("one"))
    clock.now += 11
    assert router.complete(req("two")).provider == "openai"
    snap = router.breaker_states()["mistral"]
    assert snap.state is BreakerState.OPEN
    assert snap.transitions == ["closed->open", "open->half_open", "half_open->open"]
    assert len(mistral_server.requests) == 4  # exactly one probe


def test_breaker_opens_on_failure_rate_over_window(make_router, mistral_server):
    router, _, _ = make_router(retry={"max_attempts": 1, "base_delay_s": 0})
    mistral_server.script("ok", "500", "ok", "500")
    for i in range(4):
        router.complete(req(f"request {i}"))
    snap = router.breaker_states()["mistral"]
    assert snap.state is BreakerState.OPEN and snap.consecutive_failures == 1


def test_rate_limit_moves_to_next_provider(make_router, mistral_server):
    policy = base_policy()
    policy["providers"]["mistral"]["rate_limit"] = {"requests_per_minute": 1}
    router, _, _ = make_router(policy)
    assert router.complete(req("a")).provider == "mistral"
    assert router.complete(req("b")).provider == "openai"


def test_no_lost_work_under_30_percent_failures(make_router, mistral_server, openai_server):
    router, _, _ = make_router()
    mistral_server.failure_rate = openai_server.failure_rate = 0.3
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda i: router.complete(req(f"item {i}")), range(60)))
    answered = [r for r in results if r.status == "answered"]
    queued = [r for r in results if r.status == "queued_for_review"]
    assert len(answered) + len(queued) == 60
    assert {r.review_item_id for r in queued} == {i["id"] for i in router.store.review_items()}
    assert all(r.data is not None for r in answered)
    assert len(answered) >= 45


def test_reviewer_can_resolve_a_queued_item(make_router, mistral_server, openai_server):
    router, _, _ = make_router()
    mistral_server.script("invalid", "invalid")
    openai_server.script("invalid", "invalid")
    item_id = router.complete(req()).review_item_id
    router.store.set_review_status(item_id, "resolved")
    assert router.store.review_items() == []
    assert [i["id"] for i in router.store.review_items("resolved")] == [item_id]
    with pytest.raises(ValueError, match="not allowed"):
        router.store.set_review_status(item_id, "done")
