"""Requirement <-> test links from explicit evidence only, each with where it was found.

Sources: `@pytest.mark.requirement("FR-001")` (read with ast, never imported), a JUnit
`<property name="requirement(s)">`, a requirement ID in a test's name or docstring, and an ID
in a comment next to a test in any language. No fuzzy matching: a link is a claim someone wrote.
"""

from __future__ import annotations

import ast
import re
import tokenize
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel

from agentops_pipelines.qa.junit import TestReport
from agentops_pipelines.qa.parsed_python import tree_of
from agentops_pipelines.qa.pysource import (
    REQUIREMENT_MARKERS,
    first_line,
    marker_args,
    python_comments,
)
from agentops_pipelines.qa.test_text import (
    COMMENT,
    LOOKAHEAD_LINES,
    declared_title,
    title_below,
)

LinkKind = Literal["marker", "junit_property", "name", "docstring", "comment"]


class LinkSource(BaseModel):
    kind: LinkKind
    file: str
    line: int | None = None
    evidence: str | None = None  # how a repo-wide citation was resolved to this spec
    cited: str | None = None  # the citation as written, e.g. "Validates: Requirements 7.1"


class TraceLink(BaseModel):
    requirement_id: str
    test_id: str
    source: LinkSource


def link_tests(requirement_ids: Iterable[str], *sources: Path | TestReport) -> list[TraceLink]:
    """Links for the given requirement IDs from test files (any language) and JUnit reports."""
    matcher = _IdMatcher(requirement_ids)
    links: list[TraceLink] = []
    for source in sources:
        if isinstance(source, TestReport):
            links += _from_junit(source, matcher)
        elif source.suffix == ".py":
            links += _from_python_or_text(source, matcher)
        else:
            links += _from_comments(source, _read(source), matcher)
    unique = {(ln.requirement_id, ln.test_id, ln.source.kind, ln.source.line): ln for ln in links}
    return list(unique.values())


class _IdMatcher:
    """Match known IDs only, tolerating the spellings names force on them (FR-001 ~ fr_001)."""

    def __init__(self, requirement_ids: Iterable[str]) -> None:
        self.ids = list(dict.fromkeys(requirement_ids))
        self._patterns = [(rid, self._pattern(rid)) for rid in self.ids]

    @staticmethod
    def _pattern(rid: str) -> re.Pattern[str]:
        parts = [re.escape(p) for p in re.split(r"[-_.\s]+", rid) if p]
        return re.compile(r"(?<![A-Za-z0-9])" + r"[-_.]?".join(parts) + r"(?![0-9])", re.I)

    def find(self, text: str | None) -> list[str]:
        return [rid for rid, pattern in self._patterns if text and pattern.search(text)]

    def exact(self, values: Iterable[str]) -> list[str]:
        """Marker arguments are IDs already; compare them case-insensitively."""
        wanted = {v.strip().upper() for v in values}
        return [rid for rid in self.ids if rid.upper() in wanted]


def _from_junit(report: TestReport, matcher: _IdMatcher) -> list[TraceLink]:
    links = []
    for case in report.cases:
        for prop in case.properties:
            if prop.name.lower() in REQUIREMENT_MARKERS:
                for rid in matcher.exact(re.split(r"[,\s;]+", prop.value)):
                    links.append(_link(rid, case.id, "junit_property", report.source_name, None))
        for rid in matcher.find(case.name):
            links.append(_link(rid, case.id, "name", report.source_name, case.line))
    return links


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _from_python_or_text(path: Path, matcher: _IdMatcher) -> list[TraceLink]:
    """Generated tests may not parse yet; their comments and titles still count as claims."""
    text = _read(path)
    try:
        return _from_python(path, text, matcher)
    except (SyntaxError, tokenize.TokenError, ValueError):
        return _from_comments(path, text, matcher)


class _PyTest(NamedTuple):
    qualname: str
    name: str
    lineno: int
    docstring: str | None
    markers: list[tuple[int, list[str]]]


@lru_cache(maxsize=4096)
def _python_extract(
    path_text: str, text: str
) -> tuple[list[_PyTest], list[tuple[int, str, str | None]]]:
    """A file's tests and its comments with their owning test, once per file content: scoring
    N specs of one repository matches N sets of IDs against the same extract."""
    tests = list(_python_tests(tree_of(path_text, text)))
    spans = [(n.end_lineno or n.lineno, q, first_line(n)) for q, n in tests]
    found = [
        _PyTest(q, n.name, n.lineno, ast.get_docstring(n), list(marker_args(n))) for q, n in tests
    ]
    comments = [(line, c, _owner(line, spans)) for line, c in python_comments(text)]
    return found, comments


def _from_python(path: Path, text: str, matcher: _IdMatcher) -> list[TraceLink]:
    tests, comments = _python_extract(str(path), text)
    links = []
    for test in tests:
        test_id = f"{path}::{test.qualname}"
        for line, values in test.markers:
            for rid in matcher.exact(values):
                links.append(_link(rid, test_id, "marker", str(path), line))
        for rid in matcher.find(test.name):
            links.append(_link(rid, test_id, "name", str(path), test.lineno))
        for rid in matcher.find(test.docstring):
            links.append(_link(rid, test_id, "docstring", str(path), test.lineno))
    for line, comment, owner in comments:
        for rid in matcher.find(comment):
            test_id = f"{path}::{owner}" if owner else str(path)
            links.append(_link(rid, test_id, "comment", str(path), line))
    return links


def _python_tests(tree: ast.Module) -> Iterable[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """pytest's default collection: test* functions, also inside Test* classes."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            yield node.name, node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(
                    item, ast.FunctionDef | ast.AsyncFunctionDef
                ) and item.name.startswith("test"):
                    yield f"{node.name}::{item.name}", item


def _owner(line: int, spans: list[tuple[int, str, int]]) -> str | None:
    """A comment belongs to the test it sits in, or to the test declared just below it."""
    for end, name, first in spans:
        if first <= line <= end or 0 < first - line <= LOOKAHEAD_LINES:
            return name
    return None


def _from_comments(path: Path, text: str, matcher: _IdMatcher) -> list[TraceLink]:
    """Any language: an ID in a test title, or in a comment just above/at a test declaration."""
    lines = text.splitlines()
    links = []
    for number, line in enumerate(lines, start=1):
        if title := declared_title(line):
            links += [
                _link(rid, f"{path}::{title}", "name", str(path), number)
                for rid in matcher.find(title)
            ]
        comment = COMMENT.search(line)
        ids = matcher.find(comment.group("text")) if comment else []
        if not ids:
            continue
        title = title_below(lines, number)
        test_id = f"{path}::{title}" if title else str(path)
        links += [_link(rid, test_id, "comment", str(path), number) for rid in ids]
    return links


def _link(rid: str, test_id: str, kind: LinkKind, file: str, line: int | None) -> TraceLink:
    return TraceLink(
        requirement_id=rid, test_id=test_id, source=LinkSource(kind=kind, file=file, line=line)
    )
