"""A time and size budget for one spec parse, so one hostile spec fails alone and fast.

markdown-it's link-label scan is quadratic in the number of `[` that never close within one
paragraph (each opener scans ahead for its `]`): 32 KB of `[!` takes seconds, hundreds of KB
minutes. Two guards, cheapest first:

1. `prescan`: before parsing, count unclosed `[` per paragraph (outside code fences) and refuse a
   spec whose count is far beyond anything a human writes, naming the line. This removes the cause.
2. `deadline_env` + `install_deadline`: a cooperative deadline checked from inside markdown-it's
   block and inline rule loops (also on the quadratic path), for pathologies nobody listed yet.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from markdown_it import MarkdownIt

from agentops_pipelines.settings import get_settings
from agentops_pipelines.specs.models import SpecInputError

MAX_PARSE_CHARS = 2 * 1024 * 1024
"""Decoded text beyond this is refused before parsing (the file limit is 5 MiB of bytes)."""

MAX_UNCLOSED_BRACKETS = 200
"""Unclosed `[` in one paragraph; real specs have a handful ("[NEEDS CLARIFICATION" is closed)."""

DEFAULT_PARSE_SECONDS = 5.0
_ENV_KEY = "agentops_deadline"


@dataclass(frozen=True)
class ParseBudget:
    seconds: float = DEFAULT_PARSE_SECONDS
    max_chars: int = MAX_PARSE_CHARS
    max_unclosed_brackets: int = MAX_UNCLOSED_BRACKETS

    @classmethod
    def from_env(cls) -> ParseBudget:
        """AGENTOPS_SPEC_PARSE_SECONDS overrides the time budget (a slow machine, a huge spec)."""
        return cls(seconds=max(get_settings().qa.spec_parse_seconds, 0.1))


class ParseDeadlineExceeded(Exception):
    """Raised from inside markdown-it; turned into a SpecInputError by the caller."""


def check_size(spec_id: str, text: str, budget: ParseBudget) -> None:
    if len(text) > budget.max_chars:
        raise SpecInputError(
            spec_id,
            f"the spec is {len(text):,} characters, over the {budget.max_chars:,} character "
            "parse budget",
            "Split it into smaller spec files or move embedded data out of the markdown",
        )


def prescan(spec_id: str, text: str, budget: ParseBudget) -> None:
    """Refuse a paragraph with more unclosed `[` than the budget, naming its first line."""
    unclosed = 0
    block_start = 1
    fence = ""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" >")
        if fence:
            if stripped.startswith(fence):
                fence = ""
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if not stripped.strip():
            unclosed, block_start = 0, number + 1
            continue
        unclosed = _count_unclosed(line, unclosed)
        if unclosed > budget.max_unclosed_brackets:
            raise SpecInputError(
                spec_id,
                f"the paragraph starting on line {block_start} holds more than "
                f"{budget.max_unclosed_brackets} '[' that are never closed (by line {number}); "
                "markdown parsing time grows with the square of that count",
                "Escape literal brackets as \\[ , close them, or put the text in a ``` code fence",
            )


def _count_unclosed(line: str, unclosed: int) -> int:
    """Openers minus closers so far in the paragraph; a `\\[` is literal and does not count."""
    escaped = False
    for ch in line:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            unclosed += 1
        elif ch == "]" and unclosed:
            unclosed -= 1
    return unclosed


def deadline_env(budget: ParseBudget) -> dict[str, float]:
    return {_ENV_KEY: time.monotonic() + budget.seconds}


def install_deadline(md: MarkdownIt) -> MarkdownIt:
    """Put a no-op rule first in the block and inline loops that raises once the deadline passed.

    It never matches, so the token stream is unchanged; markdown-it calls it at every block line
    and every inline position, including inside the link-label scan (`skipToken`).
    """

    def _inline(state, silent: bool) -> bool:  # type: ignore[no-untyped-def]
        _check(state.env)
        return False

    def _block(state, start_line: int, end_line: int, silent: bool) -> bool:  # type: ignore[no-untyped-def]
        _check(state.env)
        return False

    md.inline.ruler.before("text", "agentops_deadline", _inline)
    md.block.ruler.before(
        "table",
        "agentops_deadline",
        _block,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    return md


def _check(env: dict) -> None:
    deadline = env.get(_ENV_KEY) if isinstance(env, dict) else None
    if deadline is not None and time.monotonic() > deadline:
        raise ParseDeadlineExceeded
