"""Drafts -> Requirements: duplicate-ID check, derived IDs, criterion IDs, hashes, markers."""

from __future__ import annotations

import re
from typing import Literal

from agentops_pipelines.specs.models import (
    AcceptanceCriterion,
    Requirement,
    SourceSpan,
    SpecInputError,
)
from agentops_pipelines.specs.parsing.drafts import CriterionDraft, Draft, find_modal
from agentops_pipelines.specs.parsing.ids import content_hash, derived_id
from agentops_pipelines.specs.parsing.outline import Outline

CLARIFICATION_RE = re.compile(r"\[NEEDS CLARIFICATION\s*:?\s*([^\]]*)\]", re.IGNORECASE)


def assemble(spec_id: str, outline: Outline, drafts: list[Draft]) -> list[Requirement]:
    _reject_duplicates(spec_id, drafts)
    taken = {d.author_id for d in drafts if d.author_id}
    requirements: list[Requirement] = []
    source: Literal["author", "derived"]
    for draft in drafts:
        if draft.author_id:
            req_id, source = draft.author_id, "author"
        else:
            req_id, source = derived_id(draft.title or draft.text, taken), "derived"
            taken.add(req_id)
        criteria = _criteria(req_id, draft.criteria)
        requirements.append(
            Requirement(
                id=req_id,
                id_source=source,
                kind=draft.kind,
                title=draft.title,
                text=draft.text,
                section_path=draft.section_path,
                priority=draft.priority,
                modal=draft.modal or find_modal(draft.text, *(c.text for c in draft.criteria)),
                acceptance_criteria=criteria,
                clarifications=_clarifications(outline.source(draft.start, draft.end)),
                span=SourceSpan(start_line=draft.start, end_line=draft.end),
                content_hash=content_hash(draft.text, (c.text for c in criteria)),
            )
        )
    return requirements


def _reject_duplicates(spec_id: str, drafts: list[Draft]) -> None:
    """Two requirements with one author ID would make traceability ambiguous: refuse early."""
    seen: dict[str, int] = {}
    for draft in drafts:
        if not draft.author_id:
            continue
        if draft.author_id in seen:
            raise SpecInputError(
                spec_id,
                f"requirement ID {draft.author_id} is used twice, on line {seen[draft.author_id]} "
                f"and line {draft.start}",
                "Give each requirement its own ID (renumber the second one)",
            )
        seen[draft.author_id] = draft.start


def _criteria(req_id: str, drafts: list[CriterionDraft]) -> list[AcceptanceCriterion]:
    """Use the author's numbering when it is unique, else the position (1-based)."""
    numbers = [d.number for d in drafts]
    use_author = all(n is not None for n in numbers) and len(set(numbers)) == len(numbers)
    return [
        AcceptanceCriterion(
            id=f"{req_id}.AC-{d.number if use_author else k}",
            text=d.text,
            style=d.style,
            title=d.title,
            span=SourceSpan(start_line=d.start, end_line=d.end),
        )
        for k, d in enumerate(drafts, start=1)
    ]


def _clarifications(source: str) -> list[str]:
    return [m.group(1).strip() for m in CLARIFICATION_RE.finditer(source)]
