"""Prose comments from a model (router TaskType.REVIEW, real OpenAI SDK against a scripted local
OpenAI-wire server): kept only when they sit on a line the PR added and name a requirement the
PR touches."""

from __future__ import annotations

import json
from pathlib import Path

from review_repos import LOGQ_SPEC, branch, sample_repo

from agentops_pipelines.llm import build_router
from agentops_pipelines.llm.providers.registry import ProviderSettings
from agentops_pipelines.review.checkout import checkout_pull
from agentops_pipelines.review.engine import ReviewInput, review_pull
from agentops_pipelines.review.model_comments import add_model_comments
from agentops_pipelines.specs.parsing import parse_spec
from tests.support.llm_fake_servers import FakeChatServer

ROOT = Path(__file__).resolve().parents[2]
TEST = "tests/test_search.py"


def test_model_comments_are_kept_only_on_changed_lines_of_touched_requirements(tmp_path) -> None:
    repo = sample_repo(tmp_path / "logq")
    base, head = branch(
        repo,
        "weaken",
        {TEST: lambda s: s.replace("assert len(lines) == 3", "assert len(lines) >= 1")},
    )
    co = checkout_pull(str(repo), 1, base, head, tmp_path / "work")
    spec = parse_spec("log-search-cli/spec.md", LOGQ_SPEC.read_text())
    report = review_pull(
        ReviewInput(
            repo="acme/logq",
            number=1,
            base_sha=co.merge_base,
            head_sha=head,
            base_dir=co.base_dir,
            head_dir=co.head_dir,
            diff=co.diff,
            specs=[spec],
            run_tests=False,
        )
    )
    ((added_line, position),) = report.changed_lines[TEST].items()

    def answer(body: dict) -> str:
        prompt = body["messages"][-1]["content"]
        assert f"{added_line:>5}+     assert len(lines) >= 1" in prompt and "R1" in prompt
        return json.dumps(
            {
                "comments": [
                    {
                        "file": TEST,
                        "line": added_line,
                        "requirement_id": "R1",
                        "body": "R1 needs all 3 files.",
                    },
                    {"file": TEST, "line": 1, "requirement_id": "R1", "body": "not a changed line"},
                    {
                        "file": TEST,
                        "line": added_line,
                        "requirement_id": "R9",
                        "body": "not touched",
                    },
                ]
            }
        )

    with FakeChatServer("openai", content_fn=answer, usage=(900, 120)) as server:
        settings = ProviderSettings(
            openai_api_key="sk-test-review-0000", openai_base_url=server.base_url
        )
        router = build_router(
            ROOT / "config" / "llm_policy.yaml", f"sqlite:///{tmp_path / 'app.db'}", settings
        )
        out = add_model_comments(report, co.head_dir, router)
    assert len(server.requests) == 1
    (kept,) = [f for f in out.findings if f.kind == "model_comment"]
    assert (kept.line, kept.position, kept.requirement_id) == (added_line, position, "R1")
    assert kept.message == "R1 needs all 3 files." and out.model_comments_dropped == 2
    assert out.model == "gpt-4o-mini" and out.cost_usd > 0


def test_offline_router_adds_nothing(tmp_path) -> None:
    router = build_router(
        ROOT / "config" / "llm_policy.yaml", f"sqlite:///{tmp_path / 'app.db'}", ProviderSettings()
    )
    from agentops_pipelines.review.models import ReviewReport

    report = ReviewReport(
        repo="a/b", number=1, base_sha="0" * 40, head_sha="1" * 40, changed_lines={"x.py": {1: 1}}
    )
    assert add_model_comments(report, tmp_path, router) is report
