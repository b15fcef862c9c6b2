"""Router overhead: the same 1,000 requests against the same local OpenAI-wire server, directly
through the `openai` SDK and through the Router (cache miss, ledger + budget in SQLite), in one
run and interleaved so load drift hits both equally; then the router alone with a provider that
answers at once (its own work, without HTTP noise). Last line: router_overhead_p50_ms=<v>."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import openai
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: the project root holds tests.support

from agentops_pipelines.llm import LLMRequest, Message, TaskType  # noqa: E402
from agentops_pipelines.llm.models import Completion  # noqa: E402
from agentops_pipelines.llm.providers.registry import ProviderSettings  # noqa: E402
from agentops_pipelines.llm.router import build_router  # noqa: E402
from agentops_pipelines.llm.schemas import SummaryOutput  # noqa: E402
from agentops_pipelines.llm.validation import schema_instruction  # noqa: E402
from tests.support.llm_fake_servers import FakeChatServer  # noqa: E402

N = 1000


def _policy(tmp: Path) -> Path:
    """An openai-only chain so both paths hit the very same server and model."""
    policy = yaml.safe_load((REPO / "config" / "llm_policy.yaml").read_text())
    for route in policy["tasks"].values():
        route["chain"] = [{"provider": "openai", "model": "gpt-4o-mini"}]
    policy["providers"]["openai"]["rate_limit"] = {}
    (tmp / "llm_policy.yaml").write_text(yaml.safe_dump(policy))
    (tmp / "llm_prices.yaml").write_text((REPO / "config" / "llm_prices.yaml").read_text())
    return tmp / "llm_policy.yaml"


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


class _InstantProvider:
    """Answers at once with no I/O: what remains is the router's own work (cache, budget,
    breaker, validation, ledger in SQLite), free of the HTTP round trip's noise."""

    name, kind = "openai", "openai"

    def complete(self, call) -> Completion:
        return Completion(text='{"summary": "ok"}', tokens_in=120, tokens_out=40)


def router_only(router) -> tuple[float, float]:
    """(p50 wall ms, p50 thread-CPU ms) of Router.complete with the instant provider."""
    for chain in router._chains.values():
        for target in chain:
            target.provider = _InstantProvider()
    wall, cpu = [], []
    for i in range(N + 20):
        user = Message(role="user", content=f"Router-only request {i}")
        request = LLMRequest(task_type=TaskType.SUMMARY, messages=[user], workspace="bench")
        started, cpu_started = time.perf_counter(), time.thread_time()
        router.complete(request)
        if i >= 20:
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - cpu_started) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmpdir, FakeChatServer("openai") as server:
        tmp = Path(tmpdir)
        router = build_router(
            _policy(tmp),
            f"sqlite:///{tmp / 'app.db'}",
            ProviderSettings(openai_api_key="bench-key", openai_base_url=server.base_url),
        )
        router.set_budget("workspace", "bench", 1000.0)  # exercise reserve/settle on every call
        client = openai.OpenAI(api_key="bench-key", base_url=server.base_url, max_retries=0)
        direct, routed, cpu_direct, cpu_routed = [], [], [], []
        for i in range(N + 20):
            user = Message(role="user", content=f"Summarise requirement {i}: invoices monthly.")
            # The direct call sends exactly what the router sends, so only router work differs.
            messages = [
                {"role": "system", "content": "Task type: summary"},
                schema_instruction(SummaryOutput).model_dump(),
                user.model_dump(),
            ]
            started, cpu = time.perf_counter(), time.thread_time()
            response = client.chat.completions.create(
                model="gpt-4o-mini",
                messages=messages,
                max_tokens=512,
                temperature=0.0,
                timeout=60,
                response_format={"type": "json_object"},
            )
            SummaryOutput.model_validate_json(response.choices[0].message.content)
            t_direct, c_direct = time.perf_counter() - started, time.thread_time() - cpu
            started, cpu = time.perf_counter(), time.thread_time()
            result = router.complete(
                LLMRequest(task_type=TaskType.SUMMARY, messages=[user], workspace="bench")
            )
            t_routed, c_routed = time.perf_counter() - started, time.thread_time() - cpu
            assert result.status == "answered" and not result.cache_hit
            if i >= 20:  # warm-up excluded
                direct.append(t_direct * 1000)
                routed.append(t_routed * 1000)
                cpu_direct.append(c_direct * 1000)
                cpu_routed.append(c_routed * 1000)
        overhead = [r - d for r, d in zip(routed, direct, strict=True)]
        print(f"requests={N} server={server.base_url} ledger_rows={len(router.store.ledger())}")
        print(f"direct_p50_ms={statistics.median(direct):.3f} direct_p95_ms={pct(direct, 95):.3f}")
        print(f"router_p50_ms={statistics.median(routed):.3f} router_p95_ms={pct(routed, 95):.3f}")
        print(f"paired_overhead_p50_ms={statistics.median(overhead):.3f}")
        # CPU time of the calling thread: insensitive to other processes competing for the cores.
        cpu_overhead = statistics.median(cpu_routed) - statistics.median(cpu_direct)
        print(
            f"cpu_direct_p50_ms={statistics.median(cpu_direct):.3f} "
            f"cpu_router_p50_ms={statistics.median(cpu_routed):.3f} "
            f"router_overhead_cpu_p50_ms={cpu_overhead:.3f}"
        )
        only_wall, only_cpu = router_only(router)
        print(f"router_only_p50_ms={only_wall:.3f} router_only_cpu_p50_ms={only_cpu:.3f}")
        print(f"router_overhead_p50_ms={statistics.median(routed) - statistics.median(direct):.3f}")


if __name__ == "__main__":
    main()
