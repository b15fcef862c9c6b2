"""The repair loop through the real OpenAI SDK against a scripted local OpenAI-wire server:
wrong once, then right -> verified after two attempts; always wrong -> a proposal with its
evidence, never verified; failing output goes back trimmed and redacted; independent tasks run
side by side within the pool."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from agentops_pipelines.codegen import CodegenOptions, generate_code
from agentops_pipelines.codegen.repair import RepairOptions
from agentops_pipelines.llm import build_router
from agentops_pipelines.llm.providers.registry import ProviderSettings
from tests.support.codegen_support import proposal, task_of
from tests.support.codeintel_fixtures import PY_REPO, write_repo
from tests.support.llm_fake_servers import FakeChatServer

REPO = Path(__file__).resolve().parents[2]
KEY = "sk-test-repair-0000000000000000"
LEAK = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
TASK = "generate_code:core:FR-006"
LINKED_TEST = (
    "import pytest\n\n"
    "from shop.numbering import is_sequential\n\n\n"
    '@pytest.mark.requirement("FR-006")\n'
    "def test_gaps_are_detected() -> None:\n"
    f'    print("token={LEAK}")\n'
    "    assert is_sequential([7, 8, 9])\n"
    "    assert not is_sequential([7, 9])\n"
)
NUMBERING = "src/shop/numbering.py"


def _module(body: str) -> str:
    original = PY_REPO[NUMBERING]
    return original + "\n\ndef is_sequential(numbers: list[int]) -> bool:\n" + body


WRONG = _module("    return True\n")
RIGHT = _module("    return all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))\n")


def _router(tmp_path: Path, server: FakeChatServer):
    settings = ProviderSettings(openai_api_key=KEY, openai_base_url=server.base_url)
    return build_router(
        REPO / "config" / "llm_policy.yaml", f"sqlite:///{tmp_path / 'app.db'}", settings
    )


def _repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "linked", {**PY_REPO, "tests/test_gaps.py": LINKED_TEST})


def _scripted(answers: list[str]):
    """Task FR-006 gets the answers in order (the last repeats); other tasks change nothing."""
    seen: list[int] = []

    def content(body: dict) -> str:
        if task_of(body) != TASK:
            return proposal("nothing to do")
        seen.append(1)
        return proposal("numbering", files={NUMBERING: answers[min(len(seen), len(answers)) - 1]})

    return content


def test_wrong_once_then_right_is_verified_after_two_attempts(spec, graph, tmp_path) -> None:
    with FakeChatServer("openai", content_fn=_scripted([WRONG, RIGHT]), usage=(400, 90)) as server:
        out = generate_code(
            spec, graph, _router(tmp_path, server), tmp_path / "art", repo=_repo(tmp_path)
        )
    task = next(o for o in out.outcomes if o.task_id == TASK)
    assert task.status == "kept" and task.verification == "verified"
    assert [(a.round, a.verdict) for a in task.attempts] == [(1, "failed"), (2, "passed")]
    assert task.attempts[0].failing and task.attempts[1].tests_passed == 1
    assert all(a.cost_usd > 0 for a in task.attempts)
    assert "return all(" in (Path(out.workspace) / NUMBERING).read_text()
    retry = [b for b in server.requests if task_of(b) == TASK][1]
    feedback = retry["messages"][-1]["content"]
    assert "1 failed, 0 passed" in feedback and "assert not is_sequential" in feedback
    assert "token=" in feedback and LEAK not in feedback  # the failing output was redacted
    assert out.usage.cost_usd >= sum(a.cost_usd for a in task.attempts)


def test_always_wrong_stays_a_proposal_within_the_rounds(spec, graph, tmp_path) -> None:
    options = CodegenOptions(repair=RepairOptions(max_rounds=3, pool_size=1))
    with FakeChatServer("openai", content_fn=_scripted([WRONG])) as server:
        out = generate_code(
            spec,
            graph,
            _router(tmp_path, server),
            tmp_path / "art",
            repo=_repo(tmp_path),
            options=options,
        )
    task = next(o for o in out.outcomes if o.task_id == TASK)
    assert task.verification == "proposal"
    assert [a.verdict for a in task.attempts] == ["failed"] * 3
    assert len([b for b in server.requests if task_of(b) == TASK]) == 3
    # the best attempt (here the first of equals) is kept as the proposal, with its evidence
    assert "return True" in (Path(out.workspace) / NUMBERING).read_text()


def test_independent_tasks_run_side_by_side_within_the_pool(spec, graph, tmp_path) -> None:
    lock, active, peak = threading.Lock(), [0], [0]

    def slow(body: dict) -> str:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.4)
        with lock:
            active[0] -= 1
        return proposal("nothing to do")

    options = CodegenOptions(repair=RepairOptions(pool_size=2))
    with FakeChatServer("openai", content_fn=slow) as server:
        generate_code(spec, graph, _router(tmp_path, server), tmp_path / "art", options=options)
    level0 = [t for t in graph.tasks if t.level == 0 and t.type.value == "generate_code"]
    assert len(level0) >= 3 and peak[0] == 2
