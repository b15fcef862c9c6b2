"""Mistral through the official `mistralai` SDK."""

from __future__ import annotations

import httpx2
from mistralai.client import Mistral
from mistralai.client.errors import MistralError

from agentops_pipelines.llm.backoff import parse_retry_after
from agentops_pipelines.llm.errors import ProviderCallError
from agentops_pipelines.llm.models import Completion
from agentops_pipelines.llm.providers.base import ProviderCall, status_error_class


class MistralProvider:
    kind = "mistral"

    def __init__(self, name: str, api_key: str, server_url: str | None = None):
        self.name = name
        # No retry_config: the SDK then makes exactly one attempt and the router owns retries.
        self._client = Mistral(api_key=api_key, server_url=server_url)

    def complete(self, call: ProviderCall) -> Completion:
        kwargs: dict = dict(
            model=call.model,
            messages=[m.model_dump() for m in call.messages],
            max_tokens=call.max_tokens,
            temperature=call.temperature,
            timeout_ms=int(call.timeout_s * 1000),
        )
        if call.json_schema is not None:
            kwargs["response_format"] = {"type": "json_object"}
        try:
            if call.stream:
                return self._stream(kwargs)
            response = self._client.chat.complete(**kwargs)
        except MistralError as exc:
            error_class, retryable = status_error_class(exc.status_code)
            raise ProviderCallError(
                error_class,
                f"{self.name} answered HTTP {exc.status_code}",
                retryable=retryable,
                retry_after=parse_retry_after(exc.headers.get("retry-after")),
                status=exc.status_code,
            ) from None
        except httpx2.TimeoutException:
            raise ProviderCallError(
                "timeout", f"{self.name} timed out after {call.timeout_s}s", retryable=True
            ) from None
        except httpx2.TransportError as exc:
            raise ProviderCallError(
                "connection", f"{self.name} connection failed: {type(exc).__name__}", retryable=True
            ) from None
        message = response.choices[0].message
        content = message.content if message is not None else None
        return Completion(
            text=content if isinstance(content, str) else "",
            tokens_in=response.usage.prompt_tokens or 0,
            tokens_out=response.usage.completion_tokens or 0,
        )

    def _stream(self, kwargs: dict) -> Completion:
        parts: list[str] = []
        tokens_in = tokens_out = 0
        for event in self._client.chat.stream(**kwargs):
            chunk = event.data
            if chunk.choices and isinstance(chunk.choices[0].delta.content, str):
                parts.append(chunk.choices[0].delta.content)
            if chunk.usage:
                tokens_in = chunk.usage.prompt_tokens or 0
                tokens_out = chunk.usage.completion_tokens or 0
        return Completion(text="".join(parts), tokens_in=tokens_in, tokens_out=tokens_out)
