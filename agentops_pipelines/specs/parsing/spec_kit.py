"""GitHub spec-kit `spec.md`: user stories with Given/When/Then scenarios, FR-### and SC-###."""

from __future__ import annotations

import re

from agentops_pipelines.specs.models import RequirementKind
from agentops_pipelines.specs.parsing.drafts import CriterionDraft, Draft, find_modal
from agentops_pipelines.specs.parsing.outline import Block, Item, Outline

STORY_RE = re.compile(r"^(?:User Story\s+|US-?)(\d+)\b\s*(?:[-–—:]\s*)?(.*)$", re.IGNORECASE)
_PRIORITY_RE = re.compile(r"\(\s*(?:Priority\s*:\s*([A-Za-z0-9]+)|(P\d))\s*\)", re.IGNORECASE)
_LONG_STORY_RE = re.compile(r"^User Story\s+\d+\b", re.IGNORECASE)  # `US-1` alone is not a sign
_CRITERIA_HEADING_RE = re.compile(
    r"^(?:acceptance (?:scenarios|criteria)|akzeptanzkriterien)\s*[:：]?\s*$", re.IGNORECASE
)
_GIVEN_RE = re.compile(r"^\W*Given\b", re.IGNORECASE)
ITEM_ID_RE = re.compile(r"^\*\*\s*([A-Z][A-Z0-9]*-\d+[a-z]?)\s*\*\*\s*[:：]?\s*(.*)$", re.DOTALL)
_LABEL_RE = re.compile(r"^\*\*[^*]+\*\*\s*[:：]?")
_SCENARIOS_RE = re.compile(r"^acceptance scenarios\s*[:：]?", re.IGNORECASE)
_STRIP_BOLD_ID = re.compile(r"^[A-Z][A-Z0-9]*-\d+[a-z]?\s*[:：]?\s*")
TABLE_ID_RE = re.compile(r"^\**\s*((?:FR|SC|NFR)-\d+[a-z]?)\s*\**$")
_PRIORITY_CELL = re.compile(r"^(P\d|MUST|SHOULD|MAY)$", re.IGNORECASE)


def is_spec_kit(outline: Outline) -> bool:
    """User-story headings or bold FR/SC items are spec-kit's signature."""
    for block in outline.blocks:
        if block.kind == "heading" and _LONG_STORY_RE.match(block.text):
            return True
        if block.kind == "list" and any(
            ITEM_ID_RE.match(i.raw) and i.raw.lstrip("* ").startswith(("FR-", "SC-"))
            for i in block.items
        ):
            return True
        if any(row.cells and TABLE_ID_RE.match(row.cells[0]) for row in block.rows):
            return True
    return False


def parse_spec_kit(outline: Outline) -> list[Draft]:
    stories: list[Draft] = []
    items: list[Draft] = []
    story: Draft | None = None
    story_level = 0
    in_scenarios = False
    for block in outline.blocks:
        if block.kind == "heading":
            match = STORY_RE.match(block.text)
            if match:
                story, story_level, in_scenarios = _story(block, match), block.level, False
                stories.append(story)
                continue
            if story is not None and block.level <= story_level:
                story = None
            elif story is not None:
                in_scenarios = bool(_CRITERIA_HEADING_RE.match(block.text))
        elif story is not None and block.kind == "paragraph":
            if _SCENARIOS_RE.match(block.text):
                in_scenarios = True
            elif _GIVEN_RE.match(block.text):
                story.criteria.append(_paragraph_scenario(block, len(story.criteria) + 1))
            elif _LABEL_RE.match(block.raw):
                in_scenarios = False
            elif not story.criteria:
                story.text = f"{story.text}\n{block.text}".strip()
            story.end = block.end
        elif block.kind == "list":
            if story is not None and in_scenarios:
                story.criteria.extend(_scenario(item) for item in block.items)
                story.end = block.end
            else:
                items.extend(_id_items(block))
        elif block.rows:
            items.extend(_table_items(block))
    _link_scenarios(stories, items)
    for story in stories:
        story.text = story.text or story.title or ""
        story.modal = find_modal(story.text)
    return stories + items


def _story(block: Block, match: re.Match[str]) -> Draft:
    """A user story's ID is its number; the heading carries title and priority."""
    number, rest = match.groups()
    priority_match = _PRIORITY_RE.search(rest)
    priority = (priority_match.group(1) or priority_match.group(2)) if priority_match else None
    title = " ".join(_PRIORITY_RE.sub(" ", rest).split())  # keeps suffixes such as "🎯 MVP"
    return Draft(
        kind=RequirementKind.USER_STORY,
        text="",
        start=block.start,
        end=block.end,
        section_path=list(block.path[:-1]),
        author_id=f"US-{number}",
        title=title or None,
        priority=priority.upper() if priority else None,
    )


def _scenario(item: Item) -> CriterionDraft:
    return CriterionDraft(
        text=item.full_text(),
        style="given_when_then",
        start=item.start,
        end=item.end,
        number=item.number,
    )


def _paragraph_scenario(block: Block, number: int) -> CriterionDraft:
    """`**Given** ... **When** ... **Then** ...` written as a paragraph instead of a list item."""
    return CriterionDraft(block.text, "given_when_then", block.start, block.end, number=number)


def _id_items(block: Block) -> list[Draft]:
    """Bold-ID items anywhere (FR-001, SC-001, NFR-2...). spec-kit's acceptance scenarios live
    under the user stories; an SC is a measurable outcome, not a criterion of itself."""
    drafts: list[Draft] = []
    for item in block.items:
        match = ITEM_ID_RE.match(item.raw)
        if not match:
            continue
        author_id = match.group(1)
        text = _STRIP_BOLD_ID.sub("", item.full_text(), count=1)
        is_sc = author_id.startswith("SC-")
        draft = Draft(
            kind=RequirementKind.SUCCESS_CRITERION if is_sc else RequirementKind.FUNCTIONAL,
            text=text,
            start=item.start,
            end=item.end,
            section_path=list(block.path),
            author_id=author_id,
            modal=find_modal(text),
        )
        drafts.append(draft)
    return drafts


def _table_items(block: Block) -> list[Draft]:
    """FR/SC tables (`| ID | Requirement | Priority |`): ID in the first column, the longest
    other cell is the text, a P0/P1/MUST cell is the priority."""
    drafts: list[Draft] = []
    for row in block.rows:
        match = TABLE_ID_RE.match(row.cells[0]) if row.cells else None
        if not match:
            continue
        author_id, rest = match.group(1), row.cells[1:]
        text = max(rest, key=len, default="")
        priority = next((c.upper() for c in rest if _PRIORITY_CELL.match(c.strip())), None)
        is_sc = author_id.startswith("SC-")
        draft = Draft(
            kind=RequirementKind.SUCCESS_CRITERION if is_sc else RequirementKind.FUNCTIONAL,
            text=text,
            start=row.line,
            end=row.line,
            section_path=list(block.path),
            author_id=author_id,
            priority=priority,
            modal=find_modal(text),
        )
        drafts.append(draft)
    return drafts


def _link_scenarios(stories: list[Draft], items: list[Draft]) -> None:
    """An FR is covered by exactly the scenarios whose text names its ID."""
    scenarios = [c for s in stories for c in s.criteria]
    for draft in items:
        if draft.kind is RequirementKind.SUCCESS_CRITERION or draft.author_id is None:
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(draft.author_id)}(?![\w-])")
        for scenario in scenarios:
            if pattern.search(scenario.text):
                draft.criteria.append(
                    CriterionDraft(scenario.text, "given_when_then", scenario.start, scenario.end)
                )
