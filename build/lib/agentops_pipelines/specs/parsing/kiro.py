"""Kiro `requirements.md`: `### Requirement N: Title` or `### 需求 N：`, user story, EARS."""

from __future__ import annotations

import re

from agentops_pipelines.specs.models import RequirementKind
from agentops_pipelines.specs.parsing.drafts import CriterionDraft, Draft, criterion_style
from agentops_pipelines.specs.parsing.outline import Block, Item, Outline

HEADING_RE = re.compile(
    r"^(?:Requirement|需求)\s*(\d+(?:\.\d+)*)\s*(?:[:：.\-–—]\s*(.*))?$", re.IGNORECASE
)
_AC_RE = re.compile(r"^(?:acceptance criteria|验收标准|验收条件)\s*[:：]?\s*$", re.IGNORECASE)
_STORY_RE = re.compile(r"^(?:User Story|用户故事)\s*[:：]\s*(.*)$", re.IGNORECASE | re.DOTALL)


def is_kiro(outline: Outline) -> bool:
    return any(b.kind == "heading" and HEADING_RE.match(b.text) for b in outline.blocks)


def parse_kiro(outline: Outline) -> list[Draft]:
    drafts: list[Draft] = []
    current: Draft | None = None
    level = 0
    in_ac = False
    body: list[str] = []
    loose: list[Item] = []
    for block in outline.blocks:
        if block.kind == "heading":
            match = HEADING_RE.match(block.text)
            if match or (current is not None and block.level <= level):
                _finish(current, body, loose)
                current, body, loose, in_ac = None, [], [], False
            if match:
                current, level = _open(block, match), block.level
                drafts.append(current)
            elif current is not None:
                in_ac = bool(_AC_RE.match(block.text))
            continue
        if current is None:
            continue
        if block.kind == "paragraph":
            story = _STORY_RE.match(block.text)
            if _AC_RE.match(block.text):
                in_ac = True
            elif story:
                current.text = story.group(1).strip()
            else:
                body.append(block.text)
        elif block.kind == "list":
            if in_ac:
                current.criteria.extend(_criterion(i) for i in block.items)
            else:
                loose.extend(block.items)
        if block.kind != "other":
            current.end = max(current.end, block.end)
    _finish(current, body, loose)
    return drafts


def _open(block: Block, match: re.Match[str]) -> Draft:
    """The author's number becomes `REQ-N`; the heading text after it is the title."""
    number, title = match.group(1), (match.group(2) or "").strip()
    return Draft(
        kind=RequirementKind.FUNCTIONAL,
        text="",
        start=block.start,
        end=block.end,
        section_path=list(block.path[:-1]),
        author_id=f"REQ-{number}",
        title=title or None,
    )


def _criterion(item: Item) -> CriterionDraft:
    text = item.full_text()
    return CriterionDraft(text, criterion_style(text), item.start, item.end, number=item.number)


def _finish(draft: Draft | None, body: list[str], loose: list[Item]) -> None:
    """Fill the gaps of variant layouts.

    Without a user story line the body prose (or the title) is the text; without an
    acceptance-criteria heading, the requirement's bullet lists are its criteria.
    """
    if draft is None:
        return
    if not draft.criteria:
        draft.criteria.extend(_criterion(i) for i in loose)
    elif loose:
        body.extend(i.full_text() for i in loose)
    if not draft.text:
        draft.text = "\n".join(t for t in body if t).strip() or (draft.title or "")
