"""Routing cost: a realistic mix of task types built from the 36 real OpenSpec capability specs,
priced with config/llm_prices.yaml, routed by config/llm_policy.yaml vs everything on the premium
model (gpt-4o). Runs through the real Router and SDKs against local OpenAI/Mistral-wire servers.

Assumptions (printed): completion length per task type, and a per-model rate of answers that stay
schema-invalid even after the repair retry (sticky per prompt), which drives escalation. Every
attempt (invalid ones and repairs included) is charged. Last line: cost_reduction=<fraction>.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / ".." / "shared" / "data" / "specs" / "openspec" / "specs"
sys.path.insert(0, str(REPO))  # run as a script: the project root holds tests.support

from agentops_pipelines.llm import LLMRequest, Message, TaskType  # noqa: E402
from agentops_pipelines.llm.providers.registry import ProviderSettings  # noqa: E402
from agentops_pipelines.llm.router import build_router  # noqa: E402
from tests.support.llm_fake_servers import FakeChatServer, default_content  # noqa: E402

COMPLETION_TOKENS = {"plan": 900, "codegen": 1200, "review": 400, "suggestion": 300, "summary": 200}
STICKY_INVALID = {
    "local-model": 0.25,
    "mistral-small-latest": 0.10,
    "codestral-latest": 0.10,
    "gpt-4o-mini": 0.05,
    "gpt-4o": 0.01,
}


def _first_user(body: dict) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


def _fraction(*parts: str) -> float:
    """Deterministic pseudo-random in [0, 1): the same prompt and model always behave the same."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def content(body: dict) -> str:
    if _fraction(_first_user(body), body["model"]) < STICKY_INVALID.get(body["model"], 0.0):
        return json.dumps({"unexpected": True})
    return default_content(body)


def usage(body: dict, _content: str) -> tuple[int, int]:
    task = next(
        m["content"].removeprefix("Task type: ")
        for m in body["messages"]
        if m["content"].startswith("Task type: ")
    )
    prompt = sum(len(m["content"]) for m in body["messages"]) // 4
    jitter = 0.75 + 0.5 * _fraction(_first_user(body), "len")
    return prompt, int(COMPLETION_TOKENS[task] * jitter)


def workload() -> list[LLMRequest]:
    """Per spec: 1 plan, 1 summary, 2 suggestion, 2 review, up to 3 codegen requests."""
    requests = []
    for path in sorted(SPECS.glob("*/spec.md")):
        text = path.read_text(encoding="utf-8")
        blocks = [b for b in text.split("### Requirement:")[1:] if b.strip()] or [text]
        spec = path.parent.name

        def make(task: str, prompt: str, spec: str = spec) -> LLMRequest:
            message = Message(role="user", content=prompt)
            return LLMRequest(task_type=TaskType(task), messages=[message], spec=spec)

        requests += [make("plan", text), make("summary", text)]
        half = max(1, len(blocks) // 2)
        requests += [make("suggestion", "\n".join(blocks[:half])), make("suggestion", text[-3000:])]
        for block in blocks[:2]:
            requests.append(make("review", f"Requirement:{block}\n\nDiff: implemented as stated."))
        for block in blocks[:3]:
            requests.append(make("codegen", f"Implement this requirement:{block}"))
    return requests


def run(tmp: Path, name: str, policy: dict, settings: ProviderSettings, requests) -> dict:
    folder = tmp / name
    folder.mkdir()
    (folder / "llm_policy.yaml").write_text(yaml.safe_dump(policy))
    (folder / "llm_prices.yaml").write_text((REPO / "config" / "llm_prices.yaml").read_text())
    router = build_router(folder / "llm_policy.yaml", f"sqlite:///{folder / 'app.db'}", settings)
    results = [router.complete(r) for r in requests]
    ledger = router.store.ledger()
    return {
        "cost_usd": sum(r["cost_micros"] for r in ledger) / 1e6,
        "escalated": sum(1 for r in results if r.escalations > 0),
        "queued": sum(1 for r in results if r.status == "queued_for_review"),
        "by_model": Counter(r.model for r in results if r.status == "answered"),
    }


def main() -> None:
    shipped = yaml.safe_load((REPO / "config" / "llm_policy.yaml").read_text())
    for provider in shipped["providers"].values():
        provider.pop("rate_limit", None)  # a cost study, not a throughput one
    premium = json.loads(json.dumps(shipped))
    for route in premium["tasks"].values():
        route["chain"] = [{"provider": "openai", "model": "gpt-4o"}]
        route.pop("max_cost_usd", None)  # the baseline spends whatever the premium model costs
    requests = workload()
    mix = Counter(r.task_type.value for r in requests)
    print(f"requests={len(requests)} mix={dict(mix)}")
    print(f"assumed_sticky_invalid_rate={STICKY_INVALID}")
    print(f"assumed_completion_tokens={COMPLETION_TOKENS}")
    servers = [FakeChatServer(f, content_fn=content, usage_fn=usage) for f in ("openai", "mistral")]
    local = FakeChatServer("openai", content_fn=content, usage_fn=usage)
    with tempfile.TemporaryDirectory() as tmpdir, servers[0], servers[1], local:
        tmp = Path(tmpdir)
        cloud = ProviderSettings(
            openai_api_key="bench-key",
            openai_base_url=servers[0].base_url,
            mistral_api_key="bench-key",
            mistral_base_url=servers[1].base_url,
        )
        with_local = cloud.model_copy(
            update={"compat_base_url": local.base_url, "compat_model": "local-model"}
        )
        base = run(tmp, "premium", premium, cloud, requests)
        routed_local = run(tmp, "policy_local", shipped, with_local, requests)
        routed = run(tmp, "policy_cloud", shipped, cloud, requests)
    n = len(requests)
    print(f"all_premium_cost_usd={base['cost_usd']:.4f} queued={base['queued']}")
    for label, res in (("policy_with_local", routed_local), ("policy_cloud_only", routed)):
        print(
            f"{label}: cost_usd={res['cost_usd']:.4f} "
            f"cost_reduction={1 - res['cost_usd'] / base['cost_usd']:.3f} "
            f"escalation_rate={res['escalated'] / n:.3f} review_queue_rate={res['queued'] / n:.3f} "
            f"answered_by={dict(res['by_model'])}"
        )
    print(f"escalation_rate={routed['escalated'] / n:.3f} (cloud-only policy, headline)")
    print(f"cost_reduction={1 - routed['cost_usd'] / base['cost_usd']:.3f}")


if __name__ == "__main__":
    main()
