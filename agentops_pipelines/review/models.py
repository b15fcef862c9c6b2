"""The review contract: findings tied to diff lines and requirements, and the report of one PR."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "notice"]
FindingKind = Literal[
    "test_removed",
    "assert_removed",
    "assert_weakened",
    "test_skipped",
    "newly_failing",
    "flaky",
    "requirement_changed_untested",
    "criteria_uncovered",
    "must_regressed",
    "protected_path",
    "model_comment",
]
# Kinds that make a PR "flagged": a reviewer has to look before merging.
FLAGGING = ("error", "warning")


class Finding(BaseModel):
    kind: FindingKind
    severity: Severity
    message: str
    file: str
    line: int | None = Field(default=None, description="new-side line; None for a deleted line")
    old_line: int | None = Field(default=None, description="old-side line of a deleted line")
    position: int | None = Field(default=None, description="GitHub diff position in the file")
    requirement_id: str | None = None
    test_id: str | None = None


class TouchedRequirement(BaseModel):
    id: str
    spec_id: str
    title: str = ""
    modal: str | None = None
    must: bool = False
    via: list[str] = Field(default_factory=list, description="why: symbol, test or citation")
    tests_in_pr: list[str] = Field(default_factory=list)
    uncovered_criteria: list[str] = Field(default_factory=list)


class TestDelta(BaseModel):
    __test__ = False
    ran: bool = False
    reason: str = Field(default="", description="why the run was skipped or incomplete")
    base_counts: dict[str, int] = Field(default_factory=dict)
    head_counts: dict[str, int] = Field(default_factory=dict)
    newly_failing: list[str] = Field(default_factory=list)
    newly_passing: list[str] = Field(default_factory=list)
    flaky: list[str] = Field(default_factory=list)
    disappeared: list[str] = Field(default_factory=list)


class CompletionDelta(BaseModel):
    spec_id: str
    measured: bool = Field(description="from test results; False = from trace links only")
    base: float
    head: float
    regressed: list[str] = Field(default_factory=list, description="requirements no longer done")
    gained: list[str] = Field(default_factory=list)

    @property
    def delta(self) -> float:
        return round(self.head - self.base, 4)


class ReviewReport(BaseModel):
    repo: str
    number: int
    base_sha: str
    head_sha: str
    files_changed: list[str] = Field(default_factory=list)
    requirements: list[TouchedRequirement] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    tests: TestDelta = Field(default_factory=TestDelta)
    completion: list[CompletionDelta] = Field(default_factory=list)
    must_regressed: list[str] = Field(default_factory=list)
    changed_lines: dict[str, dict[int, int]] = Field(
        default_factory=dict, description="file -> added new-side line -> diff position"
    )
    model: str | None = Field(default=None, description="model of the prose comments, if any")
    cost_usd: float = 0.0
    model_comments_dropped: int = 0

    @property
    def key(self) -> str:
        return f"{self.repo}#{self.number}"

    @property
    def flagged(self) -> bool:
        return any(f.severity in FLAGGING for f in self.findings)

    def kinds(self) -> set[str]:
        return {f.kind for f in self.findings if f.severity in FLAGGING}
