"""The spec contract: one Pydantic model for every input format.

Everything downstream (chunks, plans, tasks, QA) reads `SpecDocument`; parsers only produce it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class SpecFormat(StrEnum):
    SPEC_KIT = "spec-kit"
    KIRO = "kiro"
    OPENSPEC = "openspec"
    PLAIN = "plain"


class RequirementKind(StrEnum):
    FUNCTIONAL = "functional"  # FR-###, Kiro requirement, OpenSpec requirement, plain shall/must
    USER_STORY = "user_story"  # spec-kit "User Story N - ... (Priority: Pn)"
    SUCCESS_CRITERION = "success_criterion"  # spec-kit SC-###


Severity = Literal["error", "warning", "info"]


class SourceSpan(BaseModel):
    """1-based inclusive line range in the raw (redacted) spec text."""

    start_line: int
    end_line: int


class AcceptanceCriterion(BaseModel):
    id: str = Field(description="Stable within its requirement, e.g. 'REQ-3.AC-2'")
    text: str
    style: Literal["ears", "given_when_then", "when_then", "bullet"]
    title: str | None = Field(default=None, description="Scenario title where the format has one")
    span: SourceSpan


class Requirement(BaseModel):
    id: str = Field(description="The author's ID where present (FR-001, REQ-3, ...), else derived")
    id_source: Literal["author", "derived"]
    kind: RequirementKind = RequirementKind.FUNCTIONAL
    title: str | None = None
    text: str
    section_path: list[str] = Field(default_factory=list, description="Headings above it")
    priority: str | None = Field(default=None, description="P1/P2/... or MUST/SHOULD/MAY")
    modal: str | None = Field(default=None, description="SHALL/MUST/SHOULD/MAY found in the text")
    acceptance_criteria: list[AcceptanceCriterion] = Field(default_factory=list)
    clarifications: list[str] = Field(
        default_factory=list, description="[NEEDS CLARIFICATION] texts"
    )
    span: SourceSpan
    content_hash: str = Field(description="sha256 of the normalised text + criteria, for diffs")


class Section(BaseModel):
    path: list[str]
    level: int
    title: str
    text: str = Field(description="Body text directly under this heading (not its children)")
    span: SourceSpan


class Finding(BaseModel):
    """A lint finding about the spec (not a parse failure)."""

    code: str = Field(description="e.g. missing-acceptance-criteria, unresolved-clarification")
    severity: Severity
    message: str
    requirement_id: str | None = None
    line: int | None = None


class RequirementDiff(BaseModel):
    """Requirement-level change between two materialisations of one spec."""

    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    previous_text: dict[str, str] = Field(
        default_factory=dict,
        description="Text before the change of each changed or removed ID (for the change view)",
    )

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


class SourceInfo(BaseModel):
    """Where the spec text came from; git fields are None for a plain folder."""

    root: str
    path: str
    commit: str | None = None
    author: str | None = None
    committed_at: str | None = None


class SpecDocument(BaseModel):
    spec_id: str = Field(description="The partition key: the spec's path relative to the source")
    format: SpecFormat
    title: str
    content_hash: str
    source: SourceInfo | None = None
    diff: RequirementDiff | None = Field(
        default=None, description="Against the previous materialisation; None on the first one"
    )
    sections: list[Section] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    def requirement(self, requirement_id: str) -> Requirement:
        for req in self.requirements:
            if req.id == requirement_id:
                return req
        raise KeyError(f"requirement {requirement_id!r} is not in spec {self.spec_id!r}")

    @property
    def criteria_count(self) -> int:
        """Distinct criteria: a spec-kit scenario that names an FR is listed under both."""
        spans = {
            (c.span.start_line, c.span.end_line, c.text)
            for r in self.requirements
            for c in r.acceptance_criteria
        }
        return len(spans)


class SpecInputError(ValueError):
    """A spec file that cannot be ingested; the message names the file and what to do."""

    def __init__(self, spec_id: str, problem: str, fix: str) -> None:
        self.spec_id = spec_id
        self.problem = problem
        self.fix = fix
        super().__init__(f"{spec_id}: {problem}. {fix}")


class RawSpec(BaseModel):
    """A spec's text as committed, after PII/secret redaction (the clear text is never stored)."""

    spec_id: str
    text: str
    content_hash: str = Field(description="sha256 of the committed bytes: the data version")
    size_bytes: int
    redactions: dict[str, int] = Field(default_factory=dict)
    source: SourceInfo
