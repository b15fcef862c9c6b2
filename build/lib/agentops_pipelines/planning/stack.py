"""Stack selector: rank language, framework, storage and deployment options by fit.

Every option keeps its score and reasons, and the choice records whether the ranking or the
user made it, so the plan never hides a default behind a silent pick.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, cast

import yaml
from pydantic import BaseModel, ConfigDict, Field

from agentops_pipelines.planning.models import PlanInputError, StackChoice, StackOption
from agentops_pipelines.planning.rules import keyword_regex, normalise_text
from agentops_pipelines.specs.models import SpecDocument

STACKS_PATH = Path(__file__).with_name("stacks.yaml")
CATEGORIES: tuple[str, ...] = ("language", "framework", "storage", "deployment")


class OptionDef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    label: str
    base: dict[str, float]
    keywords: dict[str, float] = Field(default_factory=dict)
    requires: dict[str, str] = Field(default_factory=dict)
    note: str


class StackCatalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    categories: dict[str, list[OptionDef]]


@lru_cache(maxsize=2)
def load_stacks(path: Path = STACKS_PATH) -> StackCatalogue:
    return StackCatalogue.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _score(option: OptionDef, template_id: str, corpus: str, picked: dict[str, str]) -> StackOption:
    """Score one option; the reasons name each contribution so a reviewer can argue with it."""
    base = option.base.get(template_id, 0.0)
    reasons = [f"{option.note}", f"template {template_id} gives it {base:g}"]
    score = base
    hits = [k for k in sorted(option.keywords) if keyword_regex(k).search(corpus)]
    if hits:
        gain = sum(option.keywords[k] for k in hits)
        score += gain
        reasons.append(f"requirements mention {', '.join(hits)} (+{gain:g})")
    for category, needed in sorted(option.requires.items()):
        if picked.get(category) != needed:
            score -= 10
            reasons.append(f"needs {category}={needed}, but {picked.get(category)} is chosen")
    return StackOption(id=option.id, label=option.label, score=round(score, 3), reasons=reasons)


def select_stack(
    doc: SpecDocument, template_id: str, choices: dict[str, str] | None = None
) -> list[StackChoice]:
    """Rank every category; a user choice wins but the ranked alternatives stay visible."""
    choices = dict(choices or {})
    unknown = sorted(set(choices) - set(CATEGORIES))
    if unknown:
        raise PlanInputError(
            "stack", f"unknown stack categories {unknown}", f"use only {list(CATEGORIES)}"
        )
    catalogue = load_stacks()
    corpus = normalise_text(" ".join(f"{r.title or ''} {r.text}" for r in doc.requirements))
    corpus = corpus.lower()
    picked: dict[str, str] = {}
    result: list[StackChoice] = []
    for category in CATEGORIES:
        scored = [_score(o, template_id, corpus, picked) for o in catalogue.categories[category]]
        ranked = sorted(scored, key=lambda o: (-o.score, o.id))
        wanted = choices.get(category)
        if wanted is not None and wanted not in {o.id for o in ranked}:
            raise PlanInputError(
                f"stack.{category}",
                f"{wanted!r} is not a known option",
                f"choose one of {sorted(o.id for o in ranked)}",
            )
        chosen = next(o for o in ranked if o.id == wanted) if wanted else ranked[0]
        picked[category] = chosen.id
        result.append(
            StackChoice(
                category=cast(Literal["language", "framework", "storage", "deployment"], category),
                chosen=chosen,
                chosen_by="user" if wanted else "ranking",
                alternatives=[o for o in ranked if o.id != chosen.id],
            )
        )
    return result
