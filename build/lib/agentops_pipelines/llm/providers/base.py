"""What the router needs from a provider: one chat completion, errors classified."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel

from agentops_pipelines.llm.models import Completion, Message, TaskType


class ProviderCall(BaseModel):
    model: str
    messages: list[Message]
    task_type: TaskType
    max_tokens: int
    temperature: float
    timeout_s: float
    stream: bool = False
    json_schema: dict | None = None
    builtin_schema: bool = False


class Provider(Protocol):
    name: str
    kind: str

    def complete(self, call: ProviderCall) -> Completion: ...


def status_error_class(status: int) -> tuple[str, bool]:
    """Map an HTTP status to (ledger error class, retryable)."""
    if status == 429:
        return "rate_limited", True
    if status in (401, 403):
        return "auth", False
    if status in (408, 409) or status >= 500:
        return "server_error", True
    return "bad_request", False
