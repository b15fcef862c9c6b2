"""What a format parser hands to the assembler: requirements before IDs and hashes exist."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from agentops_pipelines.specs.models import RequirementKind

CriterionStyle = Literal["ears", "given_when_then", "when_then", "bullet"]

_MODAL_UPPER = re.compile(r"\b(SHALL|MUST|SHOULD|MAY)\b")
_MODAL_ANY = re.compile(r"\b(shall|must|should|may|will)\b", re.IGNORECASE)
_EARS = re.compile(r"\bSHALL\b")
_GWT = re.compile(r"^\W*(given|when|then)\b", re.IGNORECASE)


@dataclass
class CriterionDraft:
    text: str
    style: CriterionStyle
    start: int
    end: int
    number: int | None = None
    title: str | None = None


@dataclass
class Draft:
    kind: RequirementKind
    text: str
    start: int
    end: int
    section_path: list[str]
    author_id: str | None = None
    title: str | None = None
    priority: str | None = None
    modal: str | None = None
    criteria: list[CriterionDraft] = field(default_factory=list)


def find_modal(*texts: str) -> str | None:
    """Prefer an upper-case RFC 2119 keyword (the author's emphasis), then any modal verb."""
    for pattern in (_MODAL_UPPER, _MODAL_ANY):
        for text in texts:
            match = pattern.search(text)
            if match:
                return match.group(1).upper()
    return None


def criterion_style(text: str) -> CriterionStyle:
    """Classify a criterion line: EARS uses SHALL, scenarios start with Given/When/Then."""
    if _EARS.search(text):
        return "ears"
    if _GWT.match(text):
        return "given_when_then" if re.search(r"\bgiven\b", text, re.I) else "when_then"
    return "bullet"
