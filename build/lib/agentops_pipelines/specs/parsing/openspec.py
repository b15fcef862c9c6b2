"""OpenSpec `spec.md`: `### Requirement: Title` with `#### Scenario:` WHEN/THEN/AND bullets."""

from __future__ import annotations

import re

from agentops_pipelines.specs.models import RequirementKind
from agentops_pipelines.specs.parsing.drafts import CriterionDraft, Draft
from agentops_pipelines.specs.parsing.outline import Block, Outline

REQUIREMENT_RE = re.compile(r"^Requirement\s*:\s*(.+)$", re.IGNORECASE)
SCENARIO_RE = re.compile(r"^Scenario\s*:\s*(.+)$", re.IGNORECASE)


def is_openspec(outline: Outline) -> bool:
    return any(
        b.kind == "heading" and (REQUIREMENT_RE.match(b.text) or SCENARIO_RE.match(b.text))
        for b in outline.blocks
    )


def parse_openspec(outline: Outline) -> list[Draft]:
    drafts: list[Draft] = []
    req: Draft | None = None
    scenario: CriterionDraft | None = None
    req_level = scenario_level = 0
    lines: list[str] = []
    for block in outline.blocks:
        if block.kind == "heading":
            if scenario is not None and block.level <= scenario_level:
                _close(scenario, lines)
                scenario = None
            if req is not None and block.level <= req_level:
                req = None
            req_match = REQUIREMENT_RE.match(block.text)
            scenario_match = SCENARIO_RE.match(block.text)
            if req_match:
                req, req_level = _open(req_match, block), block.level
                drafts.append(req)
            elif scenario_match and req is not None:
                scenario = CriterionDraft(
                    "", "when_then", block.start, block.end, title=scenario_match.group(1).strip()
                )
                scenario_level, lines = block.level, []
                req.criteria.append(scenario)
            continue
        if req is None or block.kind == "other":
            continue
        texts = [block.text] if block.kind == "paragraph" else [i.full_text() for i in block.items]
        if scenario is not None:
            lines.extend(texts)
            scenario.end = block.end
        elif not req.criteria:
            req.text = "\n".join([req.text, *texts]).strip()
        req.end = block.end
    if scenario is not None:
        _close(scenario, lines)
    for draft in drafts:
        draft.text = draft.text or draft.title or ""
    return drafts


def _open(match: re.Match[str], block: Block) -> Draft:
    """OpenSpec has no author IDs; the assembler derives one from the title."""
    return Draft(
        kind=RequirementKind.FUNCTIONAL,
        text="",
        start=block.start,
        end=block.end,
        section_path=list(block.path[:-1]),
        title=match.group(1).strip(),
    )


def _close(scenario: CriterionDraft, lines: list[str]) -> None:
    """The criterion text is the scenario's WHEN/THEN/AND lines, one per line."""
    scenario.text = "\n".join(t for t in lines if t) or (scenario.title or "")
