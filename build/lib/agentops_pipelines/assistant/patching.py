"""Unified diffs: make one from two texts, apply one to the current text of a spec.

Applying searches each hunk's old lines (context + removals) near its recorded position, so a
suggestion still applies after another accepted suggestion moved lines above it; when the old
lines are gone the patch is refused rather than guessed.
"""

from __future__ import annotations

import difflib
import re

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchConflict(ValueError):
    """The spec changed where the suggestion applies; regenerate the suggestion."""


def make_diff(spec_id: str, old: str, new: str, context: int = 3) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{spec_id}",
        tofile=f"b/{spec_id}",
        n=context,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _hunks(diff: str) -> list[tuple[int, list[str], list[str]]]:
    """(old start index, old lines, new lines) per hunk; line endings stripped."""
    hunks: list[tuple[int, list[str], list[str]]] = []
    current: tuple[int, list[str], list[str]] | None = None
    for line in diff.splitlines():
        match = _HUNK.match(line)
        if match:
            current = (max(int(match.group(1)) - 1, 0), [], [])
            hunks.append(current)
            continue
        if current is None or line.startswith(("---", "+++")) or line.startswith("\\"):
            continue
        tag, body = line[:1], line[1:]
        if tag in (" ", ""):
            current[1].append(body)
            current[2].append(body)
        elif tag == "-":
            current[1].append(body)
        elif tag == "+":
            current[2].append(body)
    return hunks


def apply_diff(text: str, diff: str) -> str:
    """`text` with every hunk of `diff` applied; PatchConflict when a hunk no longer matches."""
    lines = text.splitlines()
    offset = 0
    for start, old, new in _hunks(diff):
        at = _locate(lines, old, start + offset)
        if at is None:
            preview = (old[0] if old else "").strip()[:60]
            raise PatchConflict(
                f"the spec changed where this suggestion applies (near line {start + 1}: "
                f"{preview!r}); regenerate the suggestion"
            )
        lines[at : at + len(old)] = new
        offset += (at - (start + offset)) + len(new) - len(old)
    trailing = "\n" if text.endswith("\n") or not text else ""
    return "\n".join(lines) + trailing


def _locate(lines: list[str], old: list[str], guess: int) -> int | None:
    """Nearest index to `guess` where `old` occurs verbatim."""
    if not old:
        return min(max(guess, 0), len(lines))
    candidates = [i for i in range(len(lines) - len(old) + 1) if lines[i : i + len(old)] == old]
    return min(candidates, key=lambda i: abs(i - guess)) if candidates else None
