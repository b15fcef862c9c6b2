"""The technical plan contract: what `technical_plan` stores and every front end reads."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PLAN_SCHEMA_VERSION = "1.0"

SECTION_NAMES: tuple[str, ...] = (
    "context",
    "architecture",
    "components",
    "data_model",
    "interfaces",
    "risks",
    "test_strategy",
    "rollout",
)


class StackOption(BaseModel):
    """One candidate for a stack category, with the score and the reasons behind it."""

    id: str
    label: str
    score: float
    reasons: list[str] = Field(default_factory=list)


class StackChoice(BaseModel):
    category: Literal["language", "framework", "storage", "deployment"]
    chosen: StackOption
    chosen_by: Literal["ranking", "user"]
    alternatives: list[StackOption] = Field(
        default_factory=list, description="The other options, best first"
    )


class Interface(BaseModel):
    id: str
    kind: str = Field(description="http, cli, event, ui, table, library")
    component_id: str
    name: str
    requirement_ids: list[str] = Field(default_factory=list)


class Component(BaseModel):
    id: str
    name: str
    kind: str = Field(description="service, storage, ui, worker, integration, library, core")
    description: str
    requirement_ids: list[str] = Field(default_factory=list)
    rule_ids: list[str] = Field(default_factory=list, description="Rules that proposed it")


class PlanSection(BaseModel):
    name: str
    title: str
    markdown: str
    requirement_ids: list[str] = Field(default_factory=list)
    source: Literal["template", "llm"] = "template"


class PlanDraft(BaseModel):
    schema_version: str = PLAN_SCHEMA_VERSION
    spec_id: str
    spec_title: str
    spec_content_hash: str
    template_id: str
    template_version: str
    rules_version: str
    stack: list[StackChoice]
    components: list[Component]
    interfaces: list[Interface]
    sections: list[PlanSection]
    requirement_ids: list[str] = Field(description="Every requirement of the spec, sorted")
    llm_enriched: bool = False

    def section(self, name: str) -> PlanSection:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(f"plan section {name!r} does not exist; sections are {SECTION_NAMES}")

    def coverage(self) -> dict[str, list[str]]:
        """Requirement ID -> names of the sections and components that cover it."""
        covered: dict[str, list[str]] = {rid: [] for rid in self.requirement_ids}
        for section in self.sections:
            for rid in section.requirement_ids:
                covered.setdefault(rid, []).append(f"section:{section.name}")
        for component in self.components:
            for rid in component.requirement_ids:
                covered.setdefault(rid, []).append(f"component:{component.id}")
        return covered

    def uncovered(self) -> list[str]:
        return sorted(rid for rid, where in self.coverage().items() if not where)


class PlanInputError(ValueError):
    """A plan request that cannot be served; the message says which input and what to do."""

    def __init__(self, field: str, problem: str, fix: str) -> None:
        self.field = field
        self.problem = problem
        self.fix = fix
        super().__init__(f"{field}: {problem}. {fix}")
