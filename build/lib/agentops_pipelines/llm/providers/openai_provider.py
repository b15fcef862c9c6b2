"""OpenAI and any OpenAI-compatible server (Ollama, vLLM, llama.cpp) through the `openai` SDK."""

from __future__ import annotations

import openai

from agentops_pipelines.llm.backoff import parse_retry_after
from agentops_pipelines.llm.errors import ProviderCallError
from agentops_pipelines.llm.models import Completion
from agentops_pipelines.llm.providers.base import ProviderCall, status_error_class


class OpenAIProvider:
    def __init__(
        self,
        name: str,
        kind: str,
        api_key: str,
        base_url: str | None = None,
        structured_output: str = "json_object",
    ):
        self.name, self.kind, self.structured_output = name, kind, structured_output
        # max_retries=0: the router owns retries, backoff and the breaker.
        self._client = openai.OpenAI(api_key=api_key, base_url=base_url, max_retries=0)

    def complete(self, call: ProviderCall) -> Completion:
        kwargs: dict = dict(
            model=call.model,
            messages=[{"role": m.role, "content": m.content} for m in call.messages],
            max_tokens=call.max_tokens,
            temperature=call.temperature,
            timeout=call.timeout_s,
        )
        if call.json_schema is not None:
            response_format = _response_format(self.structured_output, call.json_schema)
            if response_format is not None:
                kwargs["response_format"] = response_format
        try:
            if call.stream:
                return self._stream(kwargs)
            response = self._client.chat.completions.create(**kwargs)
        except openai.APIStatusError as exc:
            error_class, retryable = status_error_class(exc.status_code)
            raise ProviderCallError(
                error_class,
                f"{self.name} answered HTTP {exc.status_code}",
                retryable=retryable,
                retry_after=_retry_after(exc.response.headers),
                status=exc.status_code,
            ) from None
        except openai.APITimeoutError:
            raise ProviderCallError(
                "timeout", f"{self.name} timed out after {call.timeout_s}s", retryable=True
            ) from None
        except openai.APIConnectionError as exc:
            raise ProviderCallError(
                "connection",
                f"{self.name} connection failed: {type(exc.__cause__).__name__}",
                retryable=True,
            ) from None
        usage = response.usage
        return Completion(
            text=response.choices[0].message.content or "",
            tokens_in=usage.prompt_tokens if usage else 0,
            tokens_out=usage.completion_tokens if usage else 0,
        )

    def _stream(self, kwargs: dict) -> Completion:
        parts: list[str] = []
        tokens_in = tokens_out = 0
        stream = self._client.chat.completions.create(
            **kwargs, stream=True, stream_options={"include_usage": True}
        )
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                parts.append(chunk.choices[0].delta.content)
            if chunk.usage:
                tokens_in, tokens_out = chunk.usage.prompt_tokens, chunk.usage.completion_tokens
        return Completion(text="".join(parts), tokens_in=tokens_in, tokens_out=tokens_out)


def _response_format(mode: str, schema: dict) -> dict | None:
    """The wire shape of structured output for this provider (see ProviderPolicy)."""
    if mode == "json_object":
        return {"type": "json_object"}
    if mode == "json_object_schema":
        return {"type": "json_object", "schema": schema}
    if mode == "json_schema":
        title = str(schema.get("title") or "output")
        name = "".join(c if c.isalnum() or c in "_-" else "_" for c in title)[:64]
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    return None


def _retry_after(headers) -> float | None:
    """OpenAI sends retry-after-ms as well as Retry-After; the millisecond one is more precise."""
    ms = parse_retry_after(headers.get("retry-after-ms"))
    return ms / 1000 if ms is not None else parse_retry_after(headers.get("retry-after"))
