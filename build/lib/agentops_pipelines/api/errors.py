"""Error bodies as the OpenAPI schema documents them, and UTC for timestamps read back.

Routes list these in `responses=` so clients (and schemathesis) know every error shape; a
status code that is not documented is a contract break, not a detail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

# SQLite stores 64-bit signed integers; a larger id can only be a typo, so it is refused as 422.
MAX_ID = 2**63 - 1


class ValidationIssue(BaseModel):
    """One item of FastAPI's own request-validation 422 (extra keys such as `ctx` pass)."""

    model_config = ConfigDict(extra="allow")
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    message: str = Field(description="Every problem joined into one sentence")
    problems: list[str] = Field(description="Each problem, phrased as what to fix")


class MessageError(BaseModel):
    detail: str = Field(description="What was wrong and what to do")


class ProblemError(BaseModel):
    detail: Problem


class ValidationFailed(BaseModel):
    """422: either the request did not validate (a list) or its content was refused."""

    detail: list[ValidationIssue] | Problem | str


BAD_BODY: dict[int | str, dict[str, Any]] = {
    400: {"model": MessageError, "description": "Body could not be parsed (JSON or multipart)"}
}
VALIDATION: dict[int | str, dict[str, Any]] = {
    422: {"model": ValidationFailed, "description": "Invalid request; the detail says what to fix"}
}

M = TypeVar("M", bound=BaseModel)


def as_utc(model: M) -> M:
    """The store writes UTC but SQLite hands datetimes back naive; naive is not RFC 3339, so
    mark them UTC again before they leave the API (nested models included)."""
    update: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, datetime) and value.tzinfo is None:
            update[name] = value.replace(tzinfo=UTC)
        elif isinstance(value, BaseModel):
            update[name] = as_utc(value)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            update[name] = [as_utc(v) for v in value]
    return model.model_copy(update=update) if update else model


def all_utc(models: list[M]) -> list[M]:
    return [as_utc(m) for m in models]
