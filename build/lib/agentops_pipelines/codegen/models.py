"""The codegen contract: what the model must answer, and what one materialisation produced."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class FileChange(BaseModel):
    path: str = Field(description="Repository-relative POSIX path")
    content: str = Field(description="The complete new content of the file")


class PatchProposal(BaseModel):
    """The model's answer for one task: a unified diff, whole files, or both (files apply last).

    No validator rejects an empty answer here: the router would then retry and queue it for
    review; codegen rejects it per task instead, with the reason recorded.
    """

    summary: str
    diff: str = Field(default="", description="Unified diff with a/ and b/ prefixes, or empty")
    files: list[FileChange] = Field(default_factory=list)


OutcomeStatus = Literal["kept", "rejected", "skipped"]


class TaskOutcome(BaseModel):
    task_id: str
    task_type: str
    requirement_ids: list[str] = Field(default_factory=list)
    status: OutcomeStatus
    reason: str = ""
    files: list[str] = Field(default_factory=list, description="Files written (kept) or proposed")
    source: Literal["llm", "offline_skeleton", "none"] = "none"
    provider: str | None = None
    model: str | None = None
    context_files: list[str] = Field(default_factory=list)
    context_tokens: int = 0


class CodegenUsage(BaseModel):
    llm_calls: int = 0
    cache_hits: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    providers: list[str] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list)


class GeneratedCode(BaseModel):
    spec_id: str
    workspace: str = Field(description="Absolute path of the isolated workspace")
    repo: str | None = Field(default=None, description="Linked repository copied, if any")
    files_written: list[str] = Field(default_factory=list)
    outcomes: list[TaskOutcome] = Field(default_factory=list)
    provider: str | None = None
    model: str | None = None
    usage: CodegenUsage = Field(default_factory=CodegenUsage)

    def counts(self) -> dict[str, int]:
        out = {"kept": 0, "rejected": 0, "skipped": 0}
        for outcome in self.outcomes:
            out[outcome.status] += 1
        return out
