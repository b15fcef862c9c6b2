"""SpecGPT with a model provider: the real `openai` SDK against a local chat-completions server.
Claims citing passages that were not given are dropped; tokens and cost come from the ledger."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from assistant_fake_llm import FakeOpenAI
from sqlalchemy import select

from agentops_pipelines.assistant.model_review import model_findings
from agentops_pipelines.assistant.specgpt import SpecGPT
from agentops_pipelines.assistant.tables import UsageRow


def reply(body: dict) -> str:
    prompt = "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")
    if prompt.startswith("Answer the question"):
        return json.dumps(
            {
                "found": True,
                "claims": [
                    {"text": "A workspace may send 200 invitations per 24 hours.", "sources": [1]},
                    {"text": "Invitations are free forever.", "sources": [42]},
                ],
            }
        )
    if prompt.startswith("You review one software specification"):
        return json.dumps(
            {"suggestions": ["- Given `--field a.b=1`, when a line has a.b=1, then it is printed."]}
        )
    if prompt.startswith("Review this requirement"):
        return json.dumps(
            {"verdict": "request_changes", "comments": ["vague_pronoun: it -> name the CLI"]}
        )
    return json.dumps({"summary": "A CLI that searches logs; R5, R7 and R8 lack criteria."})


@pytest.fixture
def fake_openai(specgpt_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(reply) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        yield server


def test_assistant_model_answer_keeps_only_grounded_claims(fake_openai: FakeOpenAI) -> None:
    specgpt = SpecGPT()
    answer = specgpt.ask(
        "How many invitations can a workspace send per day? Reply to ops-team@example.com", "ada"
    )
    assert answer.found and answer.model == "gpt-4o-mini"
    assert [c.text for c in answer.claims] == ["A workspace may send 200 invitations per 24 hours."]
    assert answer.claims[0].citations == [1]
    (prompt,) = fake_openai.prompts()
    assert "ops-team@example.com" not in prompt and "[1] " in prompt
    with specgpt.sessions() as session:
        row = session.scalars(select(UsageRow)).one()
    assert (row.tokens_in, row.tokens_out, row.model) == (200, 50, "gpt-4o-mini")
    assert row.cost_micros > 0 and row.redactions == 1


def test_assistant_model_writes_suggestion_lines(fake_openai: FakeOpenAI) -> None:
    suggestions = SpecGPT().suggest("log-search-cli/spec.md", "ada")
    r5 = next(s for s in suggestions if s.requirement_id == "R5")
    assert r5.model == "gpt-4o-mini" and r5.template == "suggest.en.v1"
    assert "+   - Given `--field a.b=1`, when a line has a.b=1, then it is printed." in r5.diff


def test_assistant_model_summary_and_review(fake_openai: FakeOpenAI) -> None:
    specgpt = SpecGPT()
    summary = specgpt.summarize("log-search-cli/spec.md", "ada")
    assert summary.model == "gpt-4o-mini" and "R5, R7 and R8" in summary.text
    findings = model_findings("It should handle rotation.", specgpt.router)
    assert [(f.smell, f.trigger_words, f.source) for f in findings] == [
        ("vague_pronoun", ["it"], "model")
    ]
    assert findings[0].span == (0, 2)


def test_assistant_model_prompts_are_redacted(fake_openai: FakeOpenAI) -> None:
    from agentops_pipelines.assistant.suggest import propose
    from agentops_pipelines.settings import BUNDLED_SPECS
    from agentops_pipelines.specs.parsing.parse import parse_spec

    spec = "log-search-cli/spec.md"
    text = (
        (BUNDLED_SPECS / spec)
        .read_text()
        .replace(
            "Author: Developer Experience team.",
            "Author: ops-team@example.com, key sk-test-51FAKEexampleKEYdoNOTuse0000000000.",
        )
    )
    proposals = propose(parse_spec(spec, text), text, router=SpecGPT().router)
    assert proposals and all(p.model == "gpt-4o-mini" for p in proposals)
    prompts = fake_openai.prompts()
    assert len(prompts) == len(proposals)
    for prompt in prompts:
        assert "ops-team@example.com" not in prompt and "sk-test-51FAKE" not in prompt
        assert "logq" in prompt  # the excerpt itself is still there


def test_assistant_model_review_through_the_api(fake_openai: FakeOpenAI) -> None:
    from agentops_pipelines.api.app import create_app
    from tests.auth_support import api_client

    client = api_client(create_app(), role="viewer")
    body = {"text": "It should handle rotation.", "with_model": True}
    findings = client.post("/api/assistant/ambiguity", json=body).json()
    assert {"source": "model", "smell": "vague_pronoun"}.items() <= findings[-1].items()
    assert any(f["source"] == "rules" for f in findings)
