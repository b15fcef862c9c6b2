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


@lru_cache(maxsize=256)
def _schema_digest(schema: type[BaseModel]) -> str:
    """The schema enters the key as a digest: hashing its full text on every call was costly."""
    return hashlib.sha256(schema_json(schema).encode()).hexdigest()


def request_hash(request: LLMRequest, schema: type[BaseModel]) -> str:
    """Separator-joined fields (no JSON encoding: this runs on every call). \x1e/\x1f cannot
    be confused with whitespace-normalised text, so distinct requests give distinct keys."""
    head = (
        f"{request.task_type.value}\x1e{_schema_digest(schema)}\x1e{request.temperature!r}"
        f"\x1e{request.max_tokens}"
    )
    body = "\x1e".join(f"{m.role}\x1f{_normalise(m.content)}" for m in request.messages)
    return hashlib.sha256(f"{head}\x1e{body}".encode()).hexdigest()
