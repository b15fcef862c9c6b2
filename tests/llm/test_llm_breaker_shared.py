"""Breaker state shared through the app store: two router instances (as two processes would)
and a real second process agree on which provider is open; one probe across instances."""

import subprocess
import sys
import textwrap

from agentops_pipelines.llm.breaker import BreakerState
from agentops_pipelines.llm.breaker_store import BreakerStore
from tests.support.llm_test_support import REPO, base_policy, req


def _shared_policy() -> dict:
    policy = base_policy()
    policy["breaker"]["sync_s"] = 0  # read the shared state on every call
    return policy


def test_breaker_opened_by_one_router_is_honoured_by_another(make_router, mistral_server):
    router_a, _, _ = make_router(_shared_policy())
    router_b, _, clock_b = make_router(_shared_policy())
    mistral_server.script("500", "500", "500")
    assert router_a.complete(req("one")).provider == "openai"
    assert router_a.breaker_states()["mistral"].state is BreakerState.OPEN

    # B never saw a failure itself, yet skips mistral: no request reaches the server.
    assert router_b.breaker_states()["mistral"].state is BreakerState.OPEN
    assert router_b.complete(req("two")).provider == "openai"
    assert len(mistral_server.requests) == 3

    (row,) = [r for r in BreakerStore(router_a.store.engine).all() if r["provider"] == "mistral"]
    assert row["state"] == "open" and row["consecutive_failures"] == 3
    assert row["opened_at"] is not None and row["since"] >= row["opened_at"]

    # After B's cooldown B claims the single probe; A (still cooling down) keeps skipping.
    clock_b.now += 11
    assert router_b.complete(req("three")).provider == "mistral"
    assert len(mistral_server.requests) == 4
    assert router_a.breaker_states()["mistral"].state is BreakerState.CLOSED
    assert router_a.complete(req("four")).provider == "mistral"


def test_half_open_probe_is_claimed_once_across_routers(make_router, mistral_server):
    router_a, _, clock_a = make_router(_shared_policy())
    router_b, _, clock_b = make_router(_shared_policy())
    mistral_server.script("500", "500", "500")
    router_a.complete(req("one"))
    clock_a.now += 11
    clock_b.now += 11
    breaker_a, breaker_b = router_a.breakers["mistral"], router_b.breakers["mistral"]
    assert breaker_a.allow() is True  # A holds the probe ...
    assert breaker_b.allow() is False  # ... so B must not send a second one
    assert router_b.breaker_states()["mistral"].state is BreakerState.HALF_OPEN
    breaker_a.record(False)  # the probe failed: open again for everybody
    assert router_b.breaker_states()["mistral"].state is BreakerState.OPEN


def test_a_second_process_sees_the_open_breaker(make_router, mistral_server, tmp_path):
    router, _, _ = make_router(_shared_policy())
    mistral_server.script("500", "500", "500")
    router.complete(req("one"))
    script = textwrap.dedent(
        f"""
        from agentops_pipelines.llm.providers.registry import ProviderSettings
        from agentops_pipelines.llm.router import build_router
        router = build_router({str(tmp_path / "llm_policy.yaml")!r},
                              {"sqlite:///" + str(tmp_path / "app.db")!r}, ProviderSettings())
        snap = router.breaker_states()["mistral"]
        print(snap.state.value, snap.consecutive_failures)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["open", "3"]
