"""Canonical JSON and the task graph hash.

Sorted keys, fixed separators and no timestamps, so two processes that build the same graph
print the same bytes and therefore the same sha256.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel


def canonical_json(value: BaseModel | Any, exclude: set[str] | None = None) -> str:
    data = value.model_dump(mode="json", exclude=exclude) if isinstance(value, BaseModel) else value
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(value: BaseModel | Any, exclude: set[str] | None = None) -> str:
    return hashlib.sha256(canonical_json(value, exclude).encode("utf-8")).hexdigest()
