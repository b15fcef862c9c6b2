"""A small YAML rules engine for acceptance checks over `QAScores`.

A rule selects requirements (`applies_to`: modal / priority / status lists, any-of), and names
one predicate from a fixed vocabulary in `expect`, optionally with a parameter. Spec-level
predicates (`no_orphan_links`) look at the whole score. Unknown names are an error at load time,
so a typo never silently passes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from agentops_pipelines.qa.config import QAConfigError, read_rules_yaml, rules_file
from agentops_pipelines.qa.score_models import QAScores, RequirementQA, RuleResult

RequirementPredicate = Callable[[RequirementQA, Any], bool]
REQUIREMENT_PREDICATES: dict[str, RequirementPredicate] = {
    "has_linked_test": lambda r, _: any(t.origin != "generated" for t in r.tests),
    "has_passing_test": lambda r, _: r.has_passing_test,
    "no_failing_test": lambda r, _: r.status != "failing",
    "not_changed_since_green": lambda r, _: not r.changed_since_green,
    "flakiness_at_most": lambda r, limit: r.flakiness <= float(limit),
    "ambiguity_at_most": lambda r, limit: (r.ambiguity or 0) <= int(limit),
    "not_claimed_without_verification": lambda r, _: not r.claimed_not_verified,
}
SPEC_PREDICATES: dict[str, Callable[[QAScores, Any], list[str]]] = {
    "no_orphan_links": lambda s, _: sorted({f"{o.claimed_id} ({o.test_id})" for o in s.orphans}),
    "completion_at_least": lambda s, minimum: (
        [] if s.completion_score >= float(minimum) else [f"completion {s.completion_score:.2f}"]
    ),
}


class Selector(BaseModel):
    modal: list[str] = Field(default_factory=list)
    priority: list[str] = Field(default_factory=list)
    status: list[str] = Field(default_factory=list)

    def matches(self, req: RequirementQA) -> bool:
        if not (self.modal or self.priority or self.status):
            return True
        return (
            (req.modal or "").upper() in {m.upper() for m in self.modal}
            or (req.priority or "").upper() in {p.upper() for p in self.priority}
            or req.status in self.status
        )


class Rule(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str
    expect: str
    param: Any = None
    applies_to: Selector = Field(default_factory=Selector)
    severity: Literal["error", "warn"] = "error"

    @field_validator("expect")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in REQUIREMENT_PREDICATES and value not in SPEC_PREDICATES:
            known = sorted([*REQUIREMENT_PREDICATES, *SPEC_PREDICATES])
            raise ValueError(f"unknown predicate {value!r}; use one of {known}")
        return value

    def evaluate(self, scores: QAScores) -> RuleResult:
        if self.expect in SPEC_PREDICATES:
            violations = SPEC_PREDICATES[self.expect](scores, self.param)
        else:
            check = REQUIREMENT_PREDICATES[self.expect]
            violations = [
                r.id
                for r in scores.requirements
                if self.applies_to.matches(r) and not check(r, self.param)
            ]
        return RuleResult(
            rule_id=self.id,
            description=self.description,
            severity=self.severity,
            passed=not violations,
            violations=violations,
        )


def load_rules(path: Path | None = None) -> list[Rule]:
    path = path or rules_file()
    data = read_rules_yaml(path)
    try:
        rules = [Rule.model_validate(item) for item in data.get("rules", [])]
    except ValidationError as exc:
        raise QAConfigError(
            f"{path}: invalid rule ({exc.errors()[0]['msg']}); each rule needs id, description "
            "and expect (see the comments at the top of config/qa_rules.yaml)"
        ) from exc
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise QAConfigError(f"{path}: rule ids must be unique, got {ids}")
    return rules


def evaluate_rules(scores: QAScores, rules: list[Rule]) -> list[RuleResult]:
    return [rule.evaluate(scores) for rule in rules]
