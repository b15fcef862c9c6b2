"""Request and result models of the router (the boundary other domains call through)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agentops_pipelines.settings import current_workspace


class TaskType(StrEnum):
    PLAN = "plan"
    CODEGEN = "codegen"
    REVIEW = "review"
    SUGGESTION = "suggestion"
    SUMMARY = "summary"


class Message(BaseModel):
    model_config = ConfigDict(frozen=True)
    role: Literal["system", "user", "assistant"]
    content: str


class LLMRequest(BaseModel):
    """One logical request; the router may turn it into several provider attempts."""

    task_type: TaskType
    messages: list[Message]
    workspace: str = Field(default_factory=current_workspace)
    spec: str | None = None
    run_id: str | None = None
    max_tokens: int | None = None
    temperature: float = 0.0
    stream: bool = False
    use_cache: bool = True
    # Custom output schema; None means the built-in schema of the task type.
    output_schema: type[BaseModel] | None = Field(default=None, exclude=True)


class Completion(BaseModel):
    """What a provider returned for one attempt."""

    text: str
    tokens_in: int
    tokens_out: int


class LLMResult(BaseModel):
    status: Literal["answered", "queued_for_review"]
    task_type: TaskType
    text: str | None = None
    data: dict[str, Any] | None = None
    provider: str | None = None
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    cache_hit: bool = False
    attempts: int = 0
    escalations: int = 0
    review_item_id: int | None = None
