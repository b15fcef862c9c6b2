"""The `qa_scores` contract: per-requirement evidence, completion score, heat map, rule results."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

RequirementStatus = Literal["passing", "failing", "pending", "not_run", "untested"]


class LinkedTest(BaseModel):
    test_id: str
    origin: str = Field(description="repo | generated | ci")
    link_kind: str = Field(description="how the link was found: marker, name, comment, ...")
    file: str
    line: int | None = None
    result: str = Field(description="passed | failed | error | skipped | xfail | not_run")
    duration: float = 0.0
    message: str | None = None
    evidence: str | None = Field(default=None, description="JUnit XML holding the case")
    flaky: bool = False
    link_evidence: str | None = Field(
        default=None, description="why a repo-wide citation means this spec (feature reference...)"
    )
    cited: str | None = Field(default=None, description="the citation as the author wrote it")


class RequirementQA(BaseModel):
    id: str
    title: str
    modal: str | None = None
    priority: str | None = None
    weight: float
    status: RequirementStatus
    tests: list[LinkedTest] = Field(default_factory=list)
    last_result: str = "not_run"
    flakiness: float = Field(default=0.0, ge=0, le=1)
    ambiguity: int | None = Field(default=None, description="None: no detector wired")
    changed: bool = Field(default=False, description="added or changed in the last spec diff")
    changed_since_green: bool = False
    content_hash: str
    tests_fingerprint: str = ""
    last_green_hash: str | None = None
    last_green_tests: str | None = None
    last_green_at: str | None = None
    claimed: Literal["done", "partial", "open"] | None = Field(
        default=None, description="from tasks.md checkboxes: the authors' claim, not evidence"
    )
    claimed_tasks: list[str] = Field(default_factory=list, description="'[x] T012', '[ ] 2.1'")

    @property
    def has_passing_test(self) -> bool:
        return any(t.result == "passed" for t in self.tests)

    @property
    def claimed_not_verified(self) -> bool:
        """Ticked done in tasks.md, yet no passing linked test says so."""
        return self.claimed == "done" and self.status != "passing"


class AmbiguousCitation(BaseModel):
    """A citation several features could mean (FR-025 of two spec-kit features): never linked,
    listed so the author can name the feature."""

    test_id: str
    file: str
    line: int | None = None
    cited: str
    value: str
    candidates: list[str] = Field(default_factory=list, description="'spec key#REQ' options")


class OrphanLink(BaseModel):
    """A test that claims a requirement ID the spec does not have."""

    test_id: str
    claimed_id: str
    file: str
    line: int | None = None


class HeatCell(BaseModel):
    factor: str
    level: int = Field(ge=0, le=3)
    value: str
    rule: str


class HeatRow(BaseModel):
    requirement_id: str
    cells: list[HeatCell]

    @property
    def total(self) -> int:
        return sum(c.level for c in self.cells)


class RuleResult(BaseModel):
    rule_id: str
    description: str
    severity: Literal["error", "warn"]
    passed: bool
    violations: list[str] = Field(default_factory=list, description="requirement or test ids")


class QAScores(BaseModel):
    spec_id: str
    computed_at: str
    commit: str | None = None
    completion_score: float = Field(ge=0, le=1)
    weight_total: float = 0.0
    weight_done: float = 0.0
    requirements: list[RequirementQA] = Field(default_factory=list)
    orphans: list[OrphanLink] = Field(default_factory=list)
    ambiguous_citations: list[AmbiguousCitation] = Field(default_factory=list)
    factors: list[str] = Field(default_factory=list)
    heatmap: list[HeatRow] = Field(default_factory=list)
    rules: list[RuleResult] = Field(default_factory=list)
    test_history: dict[str, list[str]] = Field(
        default_factory=dict, description="test id -> last results, newest last"
    )
    problems: list[str] = Field(default_factory=list)

    def requirement(self, requirement_id: str) -> RequirementQA | None:
        return next((r for r in self.requirements if r.id == requirement_id), None)
