"""Plain markdown: any item or paragraph with shall/must/should/will is a requirement."""

from __future__ import annotations

import re

from agentops_pipelines.specs.models import RequirementKind
from agentops_pipelines.specs.parsing.drafts import (
    CriterionDraft,
    Draft,
    criterion_style,
    find_modal,
)
from agentops_pipelines.specs.parsing.outline import Block, Item, Outline

MODAL_RE = re.compile(r"\b(shall|must|should|will)\b", re.IGNORECASE)
# `R1: ...`, `REQ-12 ...`, `NFR-3. ...`, `[API-7] ...`; a bare word+digit needs a separator.
AUTHOR_ID_RE = re.compile(
    r"^(?:\[(?P<b>[A-Z]{1,8}-?\d+(?:\.\d+)*)\]|(?P<d>[A-Z]{1,8}-\d+(?:\.\d+)*)\b[:.)]?"
    r"|(?P<s>[A-Z]{1,8}\d+(?:\.\d+)*)[:.)])\s*"
)
_AC_LABEL_RE = re.compile(
    r"^(?:acceptance criteria|acceptance|验收标准|given\s*/\s*when\s*/\s*then)\s*[:：]?\s*$",
    re.IGNORECASE,
)
_CONTEXT_HEADING_RE = re.compile(
    r"\b(goals?|background|introduction|overview|purpose|context|motivation|summary)\b", re.I
)
_SCENARIO_LINE_RE = re.compile(r"^\W*(given|when|then|and)\b", re.IGNORECASE)


def parse_plain(outline: Outline) -> list[Draft]:
    drafts: list[Draft] = []
    last: Draft | None = None
    ac_mode = False
    owner: Draft | None = None  # a heading like `### R1. Title` owns the blocks below it
    owner_level = 0
    prose: list[Draft] = []  # modal paragraphs, kept only when the author wrote no IDs
    for block in outline.blocks:
        if block.kind == "heading":
            if owner is not None and block.level <= owner_level:
                owner = None
            match = AUTHOR_ID_RE.match(block.text)
            if owner is None and match and block.text[match.end() :].strip():
                owner, owner_level = _heading_draft(block, match), block.level
                drafts.append(owner)
                continue
            ac_mode = bool(_AC_LABEL_RE.match(block.text)) and last is not None
            if not ac_mode:
                last = None
        elif owner is not None:
            _absorb(owner, block)
        elif block.kind == "paragraph":
            if _AC_LABEL_RE.match(block.text):
                ac_mode = last is not None
            elif MODAL_RE.search(block.text):
                last, ac_mode = _draft(block.text, block.start, block.end, block), False
                drafts.append(last)
                prose.append(last)
        elif block.kind == "list":
            if last is not None and (ac_mode or _all_scenario_lines(block.items)):
                last.criteria.extend(_criterion(i) for i in block.items)
                last.end = max(last.end, block.end)
            else:
                found = _scan(block.items, block)
                drafts.extend(found)
                last = found[-1] if found else last
                ac_mode = False
    return _without_context(drafts, prose)


def _without_context(drafts: list[Draft], prose: list[Draft]) -> list[Draft]:
    """Where the author numbered requirements (R1:, AUD-1:), an un-numbered modal paragraph under
    a Goal/Background heading states the aim ("Delivery must be reliable"), not a requirement."""
    if not any(d.author_id for d in drafts):
        return drafts
    context = {
        id(d)
        for d in prose
        if d.author_id is None
        and not d.criteria
        and d.section_path
        and _CONTEXT_HEADING_RE.search(d.section_path[-1])
    }
    return [d for d in drafts if id(d) not in context]


def _heading_draft(block: Block, match: re.Match[str]) -> Draft:
    """An ID-led heading is one requirement: its prose is the text, its list items criteria."""
    title = block.text[match.end() :].strip()
    return Draft(
        kind=RequirementKind.FUNCTIONAL,
        text=title,
        start=block.start,
        end=block.end,
        section_path=list(block.path[:-1]),
        author_id=match.group("b") or match.group("d") or match.group("s"),
        title=title,
    )


def _absorb(owner: Draft, block: Block) -> None:
    if block.kind == "paragraph" and not _AC_LABEL_RE.match(block.text):
        owner.text = block.text if owner.text == owner.title else f"{owner.text}\n{block.text}"
    elif block.kind == "list":
        owner.criteria.extend(_criterion(i) for i in block.items)
    else:
        return
    owner.end = max(owner.end, block.end)


def _scan(items: list[Item], block: Block) -> list[Draft]:
    """A modal item is a requirement and its nested items its criteria; else look deeper."""
    found: list[Draft] = []
    for item in items:
        if MODAL_RE.search(item.text):
            draft = _draft(item.text, item.start, item.end, block)
            draft.criteria.extend(_criteria(item.children))
            found.append(draft)
        else:
            found.extend(_scan(item.children, block))
    return found


def _draft(text: str, start: int, end: int, block: Block) -> Draft:
    match = AUTHOR_ID_RE.match(text)
    author_id = None
    if match:
        author_id = match.group("b") or match.group("d") or match.group("s")
        text = text[match.end() :].strip() or text
    return Draft(
        kind=RequirementKind.FUNCTIONAL,
        text=text,
        start=start,
        end=end,
        section_path=list(block.path),
        author_id=author_id,
        modal=find_modal(text),
    )


def _criteria(items: list[Item]) -> list[CriterionDraft]:
    """An `Acceptance criteria:` label item is a heading: each of its children is a criterion."""
    out: list[CriterionDraft] = []
    for item in items:
        if item.children and _AC_LABEL_RE.match(item.text):
            out.extend(_criterion(c) for c in item.children)
        else:
            out.append(_criterion(item))
    return out


def _criterion(item: Item) -> CriterionDraft:
    text = item.full_text()
    return CriterionDraft(text, criterion_style(text), item.start, item.end, number=item.number)


def _all_scenario_lines(items: list[Item]) -> bool:
    """A list made only of Given/When/Then lines right after a requirement belongs to it."""
    return bool(items) and all(_SCENARIO_LINE_RE.match(i.text) for i in items)
