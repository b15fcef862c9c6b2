"""Normalised request hash: the cache key, provider-independent by design."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from pydantic import BaseModel

from agentops_pipelines.llm.models import LLMRequest


def _normalise(text: str) -> str:
    """Whitespace differences must not split the cache; anything else may change the answer."""
    return " ".join(text.split())


@lru_cache(maxsize=256)
def schema_json(schema: type[BaseModel]) -> str:
    """JSON schema text, computed once per model class (it is costly and on the hot path)."""
    return json.dumps(schema.model_json_schema(), sort_keys=True)


def request_hash(request: LLMRequest, schema: type[BaseModel]) -> str:
    payload = {
        "task": request.task_type.value,
        "messages": [[m.role, _normalise(m.content)] for m in request.messages],
        "schema": schema_json(schema),
        "temperature": request.temperature,
        "max_tokens": request.max_tokens,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()
