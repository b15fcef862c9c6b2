"""Tests that claim requirement IDs the spec does not have (typos, removed requirements).

Only explicit claims count: requirement markers, JUnit requirement properties, and tokens shaped
like the spec's own IDs (same prefix, same numbering) in test names and comments.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

from agentops_pipelines.qa.junit import TestReport
from agentops_pipelines.qa.parsed_python import tree_of
from agentops_pipelines.qa.score_models import OrphanLink

_MARKERS = {"requirement", "requirements"}
_SPLIT = re.compile(r"[,\s;]+")
_SHAPE = re.compile(r"^(?P<prefix>[A-Za-z]+)(?P<sep>[-_.]?)(?P<tail>[0-9A-Za-z]+)")
_DECL = re.compile(
    r"""\b(?:it|test|describe)\s*\(\s*(['"`])(?P<title>.+?)\1|\bdef\s+(?P<ident>test\w*)"""
)
_COMMENT = re.compile(r"(?:#|//)(?P<text>.*)$")


def id_pattern(known: list[str]) -> re.Pattern[str] | None:
    """A regex for IDs shaped like the known ones: R1 -> R<digits>, REQ-9c2e.. -> REQ-<hex8>."""
    parts = set()
    for rid in known:
        match = _SHAPE.match(rid)
        if not match:
            continue
        tail = r"\d+" if match.group("tail").isdigit() else r"[0-9a-f]{6,}"
        parts.add(re.escape(match.group("prefix")) + r"[-_.]?" + tail)
    if not parts:
        return None
    return re.compile(r"(?<![A-Za-z0-9])(" + "|".join(sorted(parts)) + r")(?![0-9A-Za-z])", re.I)


def _canonical(token: str, known: list[str]) -> str | None:
    """'fr_001' and 'FR-001' are the same claim; None when the token names a known ID."""
    squash = re.sub(r"[-_.]", "", token).upper()
    if any(re.sub(r"[-_.]", "", k).upper() == squash for k in known):
        return None
    return token.upper().replace("_", "-")


def find_orphans(
    known: list[str], files: list[Path], reports: list[TestReport]
) -> list[OrphanLink]:
    pattern = id_pattern(known)
    found: dict[tuple[str, str], OrphanLink] = {}

    def add(test_id: str, token: str, file: str, line: int | None) -> None:
        claimed = _canonical(token, known)
        if claimed:
            found.setdefault(
                (test_id, claimed),
                OrphanLink(test_id=test_id, claimed_id=claimed, file=file, line=line),
            )

    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".py":
            for test_id, line, value in _python_markers(path, text):
                add(test_id, value, str(path), line)
        for number, line_text in enumerate(text.splitlines(), start=1):
            decl = _DECL.search(line_text)
            comment = _COMMENT.search(line_text)
            for source in (
                decl and (decl.group("title") or decl.group("ident")),
                comment and comment.group("text"),
            ):
                for token in pattern.findall(source) if pattern and source else []:
                    add(f"{path}:{number}", token, str(path), number)
    for report in reports:
        for case in report.cases:
            for prop in case.properties:
                if prop.name.lower() in _MARKERS:
                    for value in filter(None, _SPLIT.split(prop.value)):
                        add(case.id, value, report.source_name, case.line)
    return list(found.values())


def _python_markers(path: Path, text: str) -> list[tuple[str, int, str]]:
    """Marker arguments of a file, worked out once per file content (not once per spec)."""
    return _markers_of(str(path), text)


@lru_cache(maxsize=4096)
def _markers_of(path_text: str, text: str) -> list[tuple[str, int, str]]:
    path = Path(path_text)
    try:
        tree = tree_of(path_text, text)
    except (SyntaxError, ValueError):
        return []
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for deco in node.decorator_list:
            if (
                isinstance(deco, ast.Call)
                and isinstance(deco.func, ast.Attribute)
                and deco.func.attr in _MARKERS
            ):
                for arg in ast.walk(deco):
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        for value in filter(None, _SPLIT.split(arg.value)):
                            out.append((f"{path}::{node.name}", deco.lineno, value))
    return out
