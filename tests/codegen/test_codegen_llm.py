"""The LLM path through the real OpenAI SDK against a local OpenAI-wire server."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.codegen import generate_code
from agentops_pipelines.llm import build_router
from agentops_pipelines.llm.providers.registry import ProviderSettings
from tests.support.codegen_support import proposal, task_of
from tests.support.codeintel_fixtures import PY_REPO, write_repo
from tests.support.llm_fake_servers import FakeChatServer

REPO = Path(__file__).resolve().parents[2]
KEY = "sk-test-codegen-0000000000000000"

NUMBERING_DIFF = """--- a/src/shop/numbering.py
+++ b/src/shop/numbering.py
@@ -5,2 +5,6 @@
 def next_number(last: int | None) -> int:
     return SEQUENCE_START if last is None else last + 1
+
+
+def is_sequential(numbers: list[int]) -> bool:
+    return all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))
"""

TEST_FR_006 = (
    "import pytest\n\n"
    "from shop.numbering import is_sequential\n\n\n"
    '@pytest.mark.requirement("FR-006")\n'
    "def test_numbers_have_no_gaps() -> None:\n"
    "    assert is_sequential([1000, 1001, 1002])\n"
)


def _answers(body: dict) -> str:
    """One scripted answer per task: good diffs and files, and three kinds of bad patch."""
    task = task_of(body)
    if task == "generate_code:core:FR-006":
        return proposal("gap check", diff=NUMBERING_DIFF)
    if task == "test:FR-006":
        return proposal("test", files={"tests/test_fr_006.py": TEST_FR_006})
    if task == "generate_code:api:FR-001":  # stale context: does not apply
        return proposal("stale", diff=NUMBERING_DIFF.replace("def next_number", "def nxt"))
    if task == "generate_code:documents:FR-001":  # does not parse
        return proposal("broken", files={"src/shop/documents.py": "def render(:\n"})
    if task == "generate_code:observability:FR-001":  # ruff: unused import
        return proposal("lint", files={"src/shop/metrics.py": "import os\n"})
    return proposal("nothing to do")  # test:FR-001: empty answer


def _router(tmp_path: Path, server: FakeChatServer):
    settings = ProviderSettings(openai_api_key=KEY, openai_base_url=server.base_url)
    return build_router(
        REPO / "config" / "llm_policy.yaml", f"sqlite:///{tmp_path / 'app.db'}", settings
    )


def test_valid_patches_are_kept_and_bad_ones_rejected_per_task(spec, graph, tmp_path):
    repo = write_repo(tmp_path / "linked", PY_REPO)
    with FakeChatServer("openai", content_fn=_answers, usage=(300, 80)) as server:
        out = generate_code(spec, graph, _router(tmp_path, server), tmp_path / "art", repo=repo)
    status = {o.task_id: (o.status, o.reason) for o in out.outcomes}
    assert status["generate_code:core:FR-006"] == ("kept", "")
    assert status["test:FR-006"] == ("kept", "")
    assert status["generate_code:api:FR-001"][0] == "rejected"
    assert "hunk 1" in status["generate_code:api:FR-001"][1]
    assert status["generate_code:documents:FR-001"][0] == "rejected"
    assert "does not parse as Python" in status["generate_code:documents:FR-001"][1]
    assert status["generate_code:observability:FR-001"][0] == "rejected"
    assert "F401" in status["generate_code:observability:FR-001"][1]
    # a test task whose answer cannot be kept falls back to the deterministic skeletons
    assert status["test:FR-001"][0] == "kept"
    assert "the answer changes no file" in status["test:FR-001"][1]
    fallback = next(o for o in out.outcomes if o.task_id == "test:FR-001")
    assert fallback.source == "offline_skeleton" and fallback.files

    ws = Path(out.workspace)
    assert "def is_sequential" in (ws / "src/shop/numbering.py").read_text()
    assert "def is_sequential" not in (repo / "src/shop/numbering.py").read_text()
    assert not (ws / "src/shop/documents.py").exists() and not (ws / "src/shop/metrics.py").exists()
    assert out.files_written == sorted(
        ["src/shop/numbering.py", "tests/test_fr_006.py", *fallback.files]
    )
    assert (out.provider, out.model) == ("openai", "gpt-4o-mini")
    assert out.usage.llm_calls == 6 and out.usage.tokens_in == 6 * 300
    assert out.usage.cost_usd > 0


def test_prompts_carry_the_task_requirements_and_code_context(spec, graph, tmp_path):
    repo = write_repo(tmp_path / "linked", PY_REPO)
    with FakeChatServer("openai", content_fn=_answers) as server:
        generate_code(spec, graph, _router(tmp_path, server), tmp_path / "art", repo=repo)
    prompts = {task_of(b): b["messages"][-1]["content"] for b in server.requests}
    fr6 = prompts["generate_code:core:FR-006"]
    assert "FR-006: Numbers MUST be sequential without gaps." in fr6
    assert "### src/shop/numbering.py" in fr6  # lexical match on "numbers"
    # the test task ran after the code task and saw its kept code in the context
    assert "def is_sequential" in prompts["test:FR-006"]
    assert KEY not in str(server.requests)  # the key travels in the header only


def test_a_refused_call_is_recorded_and_the_run_goes_on(spec, graph, tmp_path):
    with FakeChatServer("openai", content_fn=_answers) as server:
        router = _router(tmp_path, server)
        router.set_budget("spec", spec.spec_id, 0.0)
        out = generate_code(spec, graph, router, tmp_path / "art")
    assert {o.status for o in out.outcomes} == {"skipped"}
    assert all("budget" in o.reason for o in out.outcomes)
    assert server.requests == []


def test_offline_answers_are_not_served_from_cache_once_a_key_is_set(
    spec, graph, offline_router, tmp_path
):
    """The offline router fixture and this router share one app database (tmp_path/app.db)."""
    first = generate_code(spec, graph, offline_router, tmp_path / "art")
    assert first.provider == "offline"
    with FakeChatServer("openai", content_fn=_answers) as server:
        second = generate_code(spec, graph, _router(tmp_path, server), tmp_path / "art")
    retries = sum(max(len(o.attempts) - 1, 0) for o in second.outcomes)  # repair rounds
    assert len(server.requests) == len(second.outcomes) + retries
    assert {o.provider for o in second.outcomes} == {"openai"}
    assert second.usage.cache_hits == 0
