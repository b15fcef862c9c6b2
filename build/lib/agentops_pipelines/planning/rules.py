"""Rules engine: map each requirement to components and interfaces by keywords and section path.

The rules live in `rules.yaml` so adding a mapping is a data change reviewed like code, and a
requirement no rule claims still lands in the default component: coverage never silently drops.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from agentops_pipelines.specs.models import Requirement

RULES_PATH = Path(__file__).with_name("rules.yaml")


class ComponentTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    kind: str
    description: str


class InterfaceTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    name: str


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    keywords: list[str] = Field(default_factory=list)
    section_pattern: str | None = None
    component: ComponentTemplate
    interface: InterfaceTemplate | None = None

    def matches(self, words: str, section_path: str) -> bool:
        if self.section_pattern and re.search(self.section_pattern, section_path):
            return True
        return any(keyword_regex(k).search(words) for k in self.keywords)


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    rules: list[Rule]
    default_component: ComponentTemplate


@lru_cache(maxsize=512)
def keyword_regex(keyword: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive match, so 'ui' does not fire on 'build' or 'require'."""
    return re.compile(rf"(?<![\w-]){re.escape(keyword.lower())}(?![\w-])")


def normalise_text(text: str) -> str:
    """Collapse whitespace so reformatting a spec never changes what rules fire."""
    return " ".join(text.split())


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_PATH) -> RuleSet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return RuleSet.model_validate(data)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise ValueError(
            f"plan rules file {path} cannot be loaded ({exc}); fix the YAML against RuleSet"
        ) from exc


def match_rules(requirement: Requirement, rules: RuleSet | None = None) -> list[Rule]:
    """Rules that fire for one requirement, in file order (possibly none)."""
    ruleset = rules or load_rules()
    words = normalise_text(f"{requirement.title or ''} {requirement.text}").lower()
    section_path = " / ".join(requirement.section_path)
    return [rule for rule in ruleset.rules if rule.matches(words, section_path)]
