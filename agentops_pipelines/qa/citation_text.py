"""What a snippet of test text cites, before anyone decides which spec it means.

- Kiro numbers: `Requirements: 1.1, 2.3`, `Validates: Requirements 7.1`, `_Requirements: 1.1_`,
  ranges `31.1-31.5`; criterion `7.1` is criterion 1 of requirement 7.
- Author IDs: `FR-025`, `SC-002`, `US-1` / `US1`, `REQ-3`, spelt as names force them (`fr_025`).
- Design properties: `Property 15` (resolved through the feature's design.md).
- OpenSpec titles: `Scenario: ...`, `Requirement: ...`.
- Feature references: `Feature: name`, `spec 008`, `specs/003-x`, `.kiro/specs/name`,
  `openspec/specs/cap`, `openspec/changes/<id>/specs/cap`, `openspec/changes/archive/...`.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

CitedKind = Literal["number", "id", "property", "title"]

_ITEM = r"\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?"
NUMBER_LIST = re.compile(
    rf"(?:Requirements?|Anforderung(?:en)?|Reqs?\.?)\s*:?\s*(?P<list>{_ITEM}"
    rf"(?:\s*(?:,|;|\band\b|\bund\b|&)\s*{_ITEM})*)",
    re.IGNORECASE,
)
_ID = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>FR|SC|NFR|REQ|US)[-_]?0*(?P<number>\d+)(?!\d)",
    re.IGNORECASE,
)
_PROPERTY = re.compile(r"\bProperty\s+(?P<number>\d+)\b")
_TITLE = re.compile(r"\b(?:Scenario|Requirement)\s*:\s*(?P<title>[^\n]+)")
_FEATURE_REFS = [
    re.compile(r"\bFeature\s*:\s*(?P<ref>[A-Za-z0-9][\w.-]*[A-Za-z0-9])"),
    re.compile(r"(?P<ref>openspec/(?:changes/(?:archive/)?[\w.-]+/)?specs/[\w.-]+)"),
    re.compile(r"(?:\.kiro|\.sce)/specs/(?P<ref>[\w.-]+)"),
    re.compile(r"(?<![\w.])specs/(?P<ref>\d{3,}-[\w.-]+?)(?:/|\.md\b|\b)"),
    re.compile(r"\b(?:spec|feature)\s+(?P<ref>\d{3})\b", re.IGNORECASE),
]


class Cited(BaseModel):
    kind: CitedKind
    value: str  # "7.1" | "7" | "FR-25" (prefix-number, leading zeros dropped) | "15" | title
    raw: str
    offset: int = 0  # where in the text, for the line number


def cited(text: str) -> list[Cited]:
    found: list[Cited] = []
    for match in NUMBER_LIST.finditer(text):
        for item in re.split(r"\s*(?:,|;|\band\b|\bund\b|&)\s*", match.group("list")):
            found += [
                Cited(kind="number", value=v, raw=match.group(0), offset=match.start())
                for v in expand_range(item)
            ]
    for match in _ID.finditer(text):
        value = f"{match.group('prefix').upper()}-{int(match.group('number'))}"
        found.append(Cited(kind="id", value=value, raw=match.group(0), offset=match.start()))
    for match in _PROPERTY.finditer(text):
        found.append(
            Cited(
                kind="property",
                value=match.group("number"),
                raw=match.group(0),
                offset=match.start(),
            )
        )
    for match in _TITLE.finditer(text):
        title = match.group("title").strip().strip("*_`\"' .")
        if title and not title[0].isdigit():
            found.append(Cited(kind="title", value=title, raw=match.group(0), offset=match.start()))
    return found


def expand_range(item: str) -> list[str]:
    """`7.1` -> [7.1]; `31.1-31.5` -> 31.1..31.5; `1-12` -> 1..12; odd ranges stay as written."""
    item = item.strip()
    if not item:
        return []
    parts = re.split(r"\s*[-–]\s*", item)
    if len(parts) != 2:
        return [item]
    low, high = parts
    if "." in low and "." in high and low.split(".")[0] == high.split(".")[0]:
        major, a, b = low.split(".")[0], int(low.split(".")[1]), int(high.split(".")[1])
        if 0 < b - a < 50:
            return [f"{major}.{n}" for n in range(a, b + 1)]
    if low.isdigit() and high.isdigit() and 0 < int(high) - int(low) < 50:
        return [str(n) for n in range(int(low), int(high) + 1)]
    return [low, high]


def feature_refs(text: str) -> list[str]:
    refs: list[str] = []
    for pattern in _FEATURE_REFS:
        refs += [m.group("ref").rstrip(".") for m in pattern.finditer(text)]
    return list(dict.fromkeys(refs))


def id_key(requirement_id: str) -> str | None:
    """`FR-001` -> `FR-1`, the form `cited` produces; None for IDs of another shape."""
    match = _ID.fullmatch(requirement_id)
    if not match:
        return None
    return f"{match.group('prefix').upper()}-{int(match.group('number'))}"
