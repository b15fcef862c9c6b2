"""Shared by the detectors: the kinds, the placeholder, and the substitution helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum


class RedactionKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    API_KEY = "api_key"  # vendor keys, tokens, passwords, JWTs, PEM private keys
    URL_CREDENTIALS = "url_credentials"  # the user:password part of scheme://user:pw@host
    CARD_NUMBER = "card_number"
    IBAN = "iban"


REDACTED_PREFIX = "[REDACTED:"
# Values starting like this are references or stubs (`$DB_PASSWORD`, `<token>`, `${{ ... }}`,
# an earlier `[REDACTED:...]`), never the secret itself.
PLACEHOLDER_START = ("[", "$", "<", "{", "%", "*", "#", "(")

# A match callback returns the replacement text and how many findings it contains; returning
# the matched text with 0 means "a look-alike, keep it".
Replacer = Callable[[re.Match[str]], tuple[str, int]]


def placeholder(kind: RedactionKind) -> str:
    """The marker written in place of a finding, e.g. `[REDACTED:EMAIL]`."""
    return f"{REDACTED_PREFIX}{kind.value.upper()}]"


def substitute(pattern: re.Pattern[str], text: str, replacer: Replacer) -> tuple[str, int]:
    """Run one pattern over the text, counting only the matches the callback really redacted.

    `re.subn` counts every match, including look-alikes a checksum rejected, so the count is
    kept here instead.
    """
    found = 0

    def _one(match: re.Match[str]) -> str:
        nonlocal found
        replacement, count = replacer(match)
        found += count
        return replacement

    return pattern.sub(_one, text), found


def on_hinted_lines(
    text: str,
    hint: re.Pattern[str],
    redact_line: Callable[[str], tuple[str, int]],
    hint_source: str | None = None,
) -> tuple[str, int]:
    """Run a line-local detector only on the lines where a cheap hint pattern occurs.

    Python's `re` pays for every start position a pattern with lookbehinds tries; a plain hint
    (an `@`, four digits) rules out most of a 1 MB spec at a fraction of that cost. Only valid
    for detectors whose matches never span a newline. `hint_source` is a same-length copy of
    the text to search for hints in (the lower-cased text, for case-insensitive hints).
    """
    pieces: list[str] = []
    found, done = 0, 0
    for hit in hint.finditer(text if hint_source is None else hint_source):
        if hit.start() < done:
            continue
        start = text.rfind("\n", 0, hit.start()) + 1
        end = text.find("\n", hit.end())
        end = len(text) if end == -1 else end
        line, count = redact_line(text[start:end])
        pieces += [text[done:start], line]
        found, done = found + count, end
    if not found:
        return text, 0
    pieces.append(text[done:])
    return "".join(pieces), found


def looks_random(value: str) -> bool:
    """Generated secrets mix digits and letters, or cases; prose words and kebab names do not."""
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    mixed_case = any(c.isupper() for c in value) and any(c.islower() for c in value)
    return (has_digit and has_alpha) or (mixed_case and len(value) >= 16)
