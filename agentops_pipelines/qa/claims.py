"""What the authors claim is done: the tasks.md checkboxes of a spec, per requirement.

spec-kit: `- [X] T012 [P] [US1] Integration test in tests/x.py (FR-008)`; Kiro:
`- [x] 2.1 Config-Datenmodell erstellen` with `_Requirements: 5.3, 11.5_` on a line below it.
A requirement is claimed `done` when every task that names it is ticked, `partial` when some
are, `open` when none is; requirements no task names have no claim. Claims are never evidence:
QA sets them beside the verified status, and "claimed done, not verified" is a discrepancy.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from agentops_pipelines.qa.citation_text import NUMBER_LIST, expand_range, id_key

ClaimState = Literal["done", "partial", "open"]
CLAIMED_NOT_VERIFIED = "claimed done, not verified"
_TASK = re.compile(r"^(?P<indent>\s*)[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<text>.+)$")
_STORY_TAG = re.compile(r"\[US-?(\d+)\]", re.IGNORECASE)
_TASK_ID = re.compile(r"^(T\d+|\d+(?:\.\d+)*)\b")


class TaskClaim(BaseModel):
    task: str = Field(description="T012 or 2.1 (else the task's first words)")
    done: bool
    line: int
    requirements: list[str] = Field(default_factory=list)


class RequirementClaim(BaseModel):
    state: ClaimState
    tasks: list[str] = Field(default_factory=list, description="task ids naming it, '[x] 2.1'")


def read_tasks(path: Path, requirement_ids: list[str]) -> list[TaskClaim]:
    """Tasks of a tasks.md with the requirement IDs of `requirement_ids` each one names."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    resolve = _resolver(requirement_ids)
    tasks: list[TaskClaim] = []
    current: TaskClaim | None = None
    indent = 0
    for number, line in enumerate(lines, start=1):
        match = _TASK.match(line)
        if match:
            text = match.group("text")
            task_id = _TASK_ID.match(text)
            current = TaskClaim(
                task=task_id.group(1) if task_id else " ".join(text.split()[:4]),
                done=match.group("mark") != " ",
                line=number,
            )
            indent = len(match.group("indent"))
            tasks.append(current)
            current.requirements += resolve(text)
        elif current is not None and line.strip() and len(line) - len(line.lstrip()) > indent:
            current.requirements += resolve(line)  # a task's own detail lines
        elif line.strip() and not line.startswith(" "):
            current = None
    for task in tasks:
        task.requirements = list(dict.fromkeys(task.requirements))
    return tasks


def _resolver(requirement_ids: list[str]):
    """Text -> the spec's requirement IDs it names (FR-008, [US1], Kiro numbers 1.1)."""
    by_key = {k: rid for rid in requirement_ids if (k := id_key(rid))}

    def resolve(text: str) -> list[str]:
        found = []
        for token in re.findall(r"(?<![A-Za-z0-9])(?:FR|SC|NFR|US)-\d+", text, re.IGNORECASE):
            rid = by_key.get(id_key(token.upper()) or "")
            if rid:
                found.append(rid)
        for story in _STORY_TAG.findall(text):
            if rid := by_key.get(f"US-{int(story)}"):
                found.append(rid)
        for match in NUMBER_LIST.finditer(text):
            for item in re.split(r"\s*(?:,|;|\band\b|&)\s*", match.group("list")):
                for value in expand_range(item):
                    if rid := by_key.get(f"REQ-{int(value.split('.')[0])}"):
                        found.append(rid)
        return found

    return resolve


def requirement_claims(tasks: list[TaskClaim]) -> dict[str, RequirementClaim]:
    per: dict[str, list[TaskClaim]] = {}
    for task in tasks:
        for rid in task.requirements:
            per.setdefault(rid, []).append(task)
    claims = {}
    for rid, mine in per.items():
        ticked = sum(t.done for t in mine)
        state: ClaimState = "done" if ticked == len(mine) else "partial" if ticked else "open"
        claims[rid] = RequirementClaim(
            state=state, tasks=[f"[{'x' if t.done else ' '}] {t.task}" for t in mine]
        )
    return claims


def tasks_file_for(spec_path: Path, companions: list[str] | None = None) -> Path | None:
    """The spec's tasks.md: a companion the discovery found, else the one beside the spec."""
    for companion in companions or []:
        if Path(companion).name == "tasks.md":
            return Path(companion)
    candidate = spec_path.parent / "tasks.md"
    return candidate if candidate.is_file() else None
