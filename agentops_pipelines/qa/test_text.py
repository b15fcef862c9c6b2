"""Test declarations and comments read as plain text, for files no parser covers (JS/TS, Go,
Rust, Kotlin, ...): shared by the two test linkers (qa/trace.py, qa/test_contexts.py)."""

from __future__ import annotations

import re

COMMENT = re.compile(r"(?://|#|--|/\*|^\s*\*)(?P<text>.*)$")
TEST_DECL = re.compile(
    r"""\b(?:it|test|describe)\s*\(\s*(?P<q>['"`])(?P<title>.+?)(?P=q)"""
    r"""|\b(?:def|fn|func|function|void|fun)\s+(?P<ident>[Tt]est\w*|\w+[Tt]est\w*)"""
)
LOOKAHEAD_LINES = 5  # a comment this many lines above a test still belongs to it


def declared_title(line: str) -> str | None:
    """The test's title (`it("...")`) or name (`func TestX`) declared on this line, if any."""
    declaration = TEST_DECL.search(line)
    if declaration is None:
        return None
    return declaration.group("title") or declaration.group("ident")


def title_below(lines: list[str], number: int) -> str | None:
    """The first test declared on line `number` (1-based) or the LOOKAHEAD_LINES below it."""
    for candidate in lines[number - 1 : number - 1 + LOOKAHEAD_LINES + 1]:
        if (title := declared_title(candidate)) is not None:
            return title
    return None
