"""Helpers shared by the LLM router tests (a uniquely named module: `conftest` is ambiguous when
the whole suite runs)."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.llm import LLMRequest, Message, TaskType

REPO = Path(__file__).resolve().parents[2]
SECRET_OPENAI = "sk-test-openai-SECRET-1234"
SECRET_MISTRAL = "mistral-test-SECRET-5678"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def base_policy() -> dict:
    chain = [{"provider": "mistral"}, {"provider": "openai"}]
    return {
        "version": 1,
        "prices_file": "llm_prices.yaml",
        "providers": {
            "mistral": {
                "kind": "mistral",
                "default_model": "mistral-small-latest",
                "timeout_s": 0.2,
            },
            "openai": {"kind": "openai", "default_model": "gpt-4o-mini", "timeout_s": 0.2},
            "local": {
                "kind": "openai_compat",
                "default_model": "local-model",
                "price_as": "local-model",
            },
            "offline": {"kind": "offline"},
        },
        "tasks": {
            t: {"chain": chain, "max_tokens": 100}
            for t in ["plan", "codegen", "review", "suggestion", "summary"]
        },
        "retry": {
            "max_attempts": 3,
            "base_delay_s": 0.001,
            "max_delay_s": 0.004,
            "max_retry_after_s": 0.05,
        },
        "breaker": {
            "failure_threshold": 3,
            "failure_rate": 0.5,
            "window_s": 60,
            "min_requests": 4,
            "cooldown_s": 10,
        },
    }


def req(text: str = "Summarise: invoices are emailed monthly.", **kw) -> LLMRequest:
    kw.setdefault("task_type", TaskType.SUMMARY)
    return LLMRequest(messages=[Message(role="user", content=text)], **kw)
