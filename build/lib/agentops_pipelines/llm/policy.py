"""The declarative routing policy (config/llm_policy.yaml): providers, per-task chains, retries,
breaker, cache, rate limits."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from agentops_pipelines.llm.errors import LLMConfigError
from agentops_pipelines.llm.models import TaskType


class RetryPolicy(BaseModel):
    max_attempts: int = Field(default=3, ge=1)
    base_delay_s: float = Field(default=0.5, ge=0)
    max_delay_s: float = Field(default=8.0, ge=0)
    max_retry_after_s: float = Field(default=30.0, ge=0)


class BreakerPolicy(BaseModel):
    failure_threshold: int = Field(default=5, ge=1)
    failure_rate: float = Field(default=0.5, gt=0, le=1)
    window_s: float = Field(default=60.0, gt=0)
    min_requests: int = Field(default=10, ge=1)
    cooldown_s: float = Field(default=30.0, ge=0)
    # Share the state through the app store (table llm_breaker) so every process agrees;
    # another process's change is picked up within `sync_s` seconds.
    shared: bool = True
    sync_s: float = Field(default=1.0, ge=0)


class RateLimit(BaseModel):
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None


class ProviderPolicy(BaseModel):
    kind: Literal["openai", "mistral", "openai_compat", "offline"]
    default_model: str | None = None
    # Price every call of this provider as this model (self-hosted models: "local-model").
    price_as: str | None = None
    timeout_s: float = Field(default=60.0, gt=0)
    rate_limit: RateLimit = RateLimit()
    # How structured output is requested from OpenAI-wire providers: `json_object` (OpenAI JSON
    # mode), `json_object_schema` ({"type": "json_object", "schema": ...}: llama.cpp server, which
    # rejects json_schema and constrains decoding by the schema), `json_schema` (OpenAI structured
    # outputs), `none` (prompt only).
    structured_output: Literal["json_object", "json_object_schema", "json_schema", "none"] = (
        "json_object"
    )


class Target(BaseModel):
    provider: str
    model: str | None = None


class TaskRoute(BaseModel):
    chain: list[Target] = Field(min_length=1)
    max_cost_usd: float | None = None
    max_tokens: int = 1024


class Policy(BaseModel):
    version: int = 1
    providers: dict[str, ProviderPolicy]
    tasks: dict[TaskType, TaskRoute]
    offline_fallback: bool = True
    retry: RetryPolicy = RetryPolicy()
    breaker: BreakerPolicy = BreakerPolicy()
    cache_ttl_s: float = 7 * 24 * 3600
    prices_file: str = "llm_prices.yaml"


def load_policy(path: str | Path) -> Policy:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        policy = Policy.model_validate(raw)
    except FileNotFoundError as exc:
        raise LLMConfigError(
            f"LLM policy file {path} does not exist: point the policy path at "
            "config/llm_policy.yaml"
        ) from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise LLMConfigError(f"LLM policy file {path} is invalid: {exc}. Fix that key.") from exc
    for task, route in policy.tasks.items():
        for target in route.chain:
            if target.provider not in policy.providers:
                raise LLMConfigError(
                    f"LLM policy {path}: task '{task}' routes to unknown provider "
                    f"'{target.provider}'; declare it under providers:"
                )
    return policy
