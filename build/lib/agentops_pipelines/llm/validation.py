"""Structured-output validation and the one repair prompt."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ValidationError

from agentops_pipelines.llm.errors import OutputValidationError
from agentops_pipelines.llm.hashing import schema_json
from agentops_pipelines.llm.models import Message


def _strip_fences(text: str) -> str:
    """Models often wrap JSON in ``` fences although asked not to; accept that, nothing looser."""
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    return body.strip()


def parse_output(text: str, schema: type[BaseModel]) -> dict[str, Any]:
    try:
        raw = json.loads(_strip_fences(text))
    except json.JSONDecodeError as exc:
        raise OutputValidationError(
            "invalid_json", f"not valid JSON: {exc.msg} at {exc.pos}"
        ) from exc
    try:
        return schema.model_validate(raw).model_dump(mode="json")
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise OutputValidationError("schema_invalid", f"schema mismatch: {problems}") from exc


def schema_instruction(schema: type[BaseModel]) -> Message:
    return Message(
        role="system",
        content="Answer with one JSON object only, matching this JSON schema: "
        + schema_json(schema),
    )


def repair_messages(
    messages: list[Message], bad_output: str, problem: OutputValidationError
) -> list[Message]:
    return [
        *messages,
        Message(role="assistant", content=bad_output[:4000]),
        Message(
            role="user",
            content=f"Your answer was rejected ({problem.detail}). Reply again with the corrected "
            "JSON object only.",
        ),
    ]
