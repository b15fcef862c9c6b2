"""Repair-loop figures for benchmarks/pr_review.py: generated code for one small spec against a
scripted OpenAI-compatible server (the tests' local OpenAI wire stand-in) that answers the code
task wrong once, then right. Shows the mechanics (rounds, sandbox runs, cost); the quality of
real repairs needs a real model."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the project root holds tests.support

from agentops_pipelines.codegen import generate_code  # noqa: E402
from agentops_pipelines.llm import build_router  # noqa: E402
from agentops_pipelines.llm.providers.registry import ProviderSettings  # noqa: E402
from tests.support.codegen_support import proposal, small_graph, small_spec, task_of  # noqa: E402
from tests.support.codeintel_fixtures import PY_REPO, write_repo  # noqa: E402
from tests.support.llm_fake_servers import FakeChatServer  # noqa: E402

TASK = "generate_code:core:FR-006"
NUMBERING = "src/shop/numbering.py"
TEST = (
    "import pytest\n\nfrom shop.numbering import is_sequential\n\n\n"
    '@pytest.mark.requirement("FR-006")\ndef test_gaps() -> None:\n'
    "    assert is_sequential([1, 2]) and not is_sequential([1, 3])\n"
)
BAD = PY_REPO[NUMBERING] + "\n\ndef is_sequential(numbers: list[int]) -> bool:\n    return True\n"
GOOD = PY_REPO[NUMBERING] + (
    "\n\ndef is_sequential(numbers: list[int]) -> bool:\n"
    "    return all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))\n"
)


def repair_figures() -> str:
    calls: list[int] = []

    def content(body: dict) -> str:
        if task_of(body) != TASK:
            return proposal("nothing to do")
        calls.append(1)
        return proposal("numbering", files={NUMBERING: BAD if len(calls) == 1 else GOOD})

    work = Path(tempfile.mkdtemp(prefix="agentops-repair-bench-"))
    repo = write_repo(work / "repo", {**PY_REPO, "tests/test_gaps.py": TEST})
    spec = small_spec()
    with FakeChatServer("openai", content_fn=content, usage=(1200, 300)) as server:
        settings = ProviderSettings(openai_api_key="sk-bench-0000", openai_base_url=server.base_url)
        router = build_router(
            ROOT / "config" / "llm_policy.yaml", f"sqlite:///{work / 'app.db'}", settings
        )
        started = time.perf_counter()
        out = generate_code(spec, small_graph(spec), router, work / "art", repo=repo)
        seconds = time.perf_counter() - started
    task = next(o for o in out.outcomes if o.task_id == TASK)
    rounds = " -> ".join(
        f"{a.verdict}({a.tests_passed}/{a.tests_passed + a.tests_failed})" for a in task.attempts
    )
    cost = sum(a.cost_usd for a in task.attempts)
    verified = sum(1 for o in out.outcomes if o.verification == "verified")
    return (
        f"repair loop (scripted server, wrong once then right): {TASK}: {rounds}; "
        f"{len(task.attempts)} rounds, {task.verification}, task cost ${cost:.6f} "
        f"(priced as gpt-4o-mini, 1200+300 tokens/call); spec: {len(out.outcomes)} tasks, "
        f"{verified} verified, {len(server.requests)} LLM calls, ${out.usage.cost_usd:.6f}, "
        f"{seconds:.1f}s"
    )


if __name__ == "__main__":
    print(repair_figures())
