"""Built-in structured outputs per task type; callers may pass their own Pydantic model."""

from __future__ import annotations

from pydantic import BaseModel, Field

from agentops_pipelines.llm.models import TaskType


class PlanOutput(BaseModel):
    title: str
    steps: list[str] = Field(min_length=1)
    risks: list[str] = []


class CodegenOutput(BaseModel):
    path: str
    language: str
    code: str


class ReviewOutput(BaseModel):
    verdict: str = Field(pattern="^(approve|request_changes|comment)$")
    comments: list[str] = []


class SuggestionOutput(BaseModel):
    suggestions: list[str] = Field(min_length=1)


class SummaryOutput(BaseModel):
    summary: str = Field(min_length=1)


TASK_SCHEMAS: dict[TaskType, type[BaseModel]] = {
    TaskType.PLAN: PlanOutput,
    TaskType.CODEGEN: CodegenOutput,
    TaskType.REVIEW: ReviewOutput,
    TaskType.SUGGESTION: SuggestionOutput,
    TaskType.SUMMARY: SummaryOutput,
}
