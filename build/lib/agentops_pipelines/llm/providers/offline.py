"""The offline provider: no key, no network. Deterministic templates built from the prompt so the
product works end to end offline; outputs always match the requested JSON schema."""

from __future__ import annotations

import json
import re
from typing import Any

from agentops_pipelines.llm.models import Completion, TaskType
from agentops_pipelines.llm.providers.base import ProviderCall

OFFLINE_MODEL = "offline-template-v1"


def _key_lines(text: str, limit: int = 5) -> list[str]:
    """The prompt's first meaningful lines stand in for model reasoning: stable and traceable."""
    lines = [re.sub(r"^[#>*\-\d.\s]+", "", ln).strip() for ln in text.splitlines()]
    return [ln[:160] for ln in lines if len(ln) > 3][:limit] or ["(empty input)"]


def template_output(task: TaskType, prompt: str) -> dict[str, Any]:
    lines = _key_lines(prompt)
    if task is TaskType.PLAN:
        return {"title": lines[0], "steps": [f"Implement: {ln}" for ln in lines], "risks": []}
    if task is TaskType.CODEGEN:
        body = "\n".join(f"# TODO: {ln}" for ln in lines)
        return {"path": "generated/todo.py", "language": "python", "code": body + "\n"}
    if task is TaskType.REVIEW:
        return {"verdict": "comment", "comments": [f"Check: {ln}" for ln in lines]}
    if task is TaskType.SUGGESTION:
        return {"suggestions": [f"Consider: {ln}" for ln in lines]}
    return {"summary": " ".join(lines)[:600]}


def schema_instance(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """A minimal instance of a JSON schema, for caller-defined output models offline."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return schema_instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return schema_instance(schema[key][0], defs)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: schema_instance(props[k], defs) for k in schema.get("required", props)}
    if kind == "array":
        return [schema_instance(schema.get("items", {}), defs)] * schema.get("minItems", 0)
    return {"string": "offline", "integer": 0, "number": 0, "boolean": False}.get(kind)


class OfflineProvider:
    kind = "offline"

    def __init__(self, name: str = "offline"):
        self.name = name

    def complete(self, call: ProviderCall) -> Completion:
        prompt = "\n".join(m.content for m in call.messages if m.role == "user")
        if call.builtin_schema or call.json_schema is None:
            data = template_output(call.task_type, prompt)
        else:
            data = schema_instance(call.json_schema)
        text = json.dumps(data, ensure_ascii=False)
        return Completion(text=text, tokens_in=len(prompt) // 4, tokens_out=len(text) // 4)
