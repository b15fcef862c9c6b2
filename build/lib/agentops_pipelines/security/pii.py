"""Detectors for contact data: e-mail addresses and phone numbers.

Phone numbers need a `+country` prefix or a national layout with separators (`415-555-2671`,
`020 7946 0958`); bare digit runs (`timeout 30000`) and dates (`01.02.2026`) are never phones.
"""

from __future__ import annotations

import re

from agentops_pipelines.security.kinds import (
    RedactionKind,
    on_hinted_lines,
    placeholder,
    substitute,
)

_EMAIL = re.compile(
    r"(?<![\w.%+-])(?<!//)\w[\w.%+-]*+@"  # \w: Unicode local parts and domains (müller@, 例え.jp)
    r"(?>[\w-]+(?:\.[\w-]+)+)(?![\w@])(?!:[\w~/])"
)
# The first character is matched before the lookbehinds so `re` can skip ahead to candidates;
# each branch then checks which character that was. A number right after another number and one
# separator is the tail of a longer sequence (`3704 0044 0532 0130 01`), not a phone; a redacted
# number counts as a number there, so a second `redact` finds nothing new.
_PHONE = re.compile(
    r"[+(\d](?<![\w+.,/-][+(\d])(?<!\d[ .-][(\d])"
    r"(?<!PHONE\][ .-][(\d])(?<!NUMBER\][ .-][(\d])(?<!IBAN\][ .-][(\d])(?:"
    r"(?<=\+)(?:\d[ .\-()]{0,2}){8,14}\d"  # international: +country, 9 to 15 digits
    r"|(?<=\()\d{3}\)[ ]?\d{3}[ .-]\d{4}"  # (415) 555-2671
    r"|(?<=1)[ .-](?:\(\d{3}\)[ ]?\d{3}[ .-]|\d{3}(?P<s0>[ .-])\d{3}(?P=s0))\d{4}"  # 1-800-...
    r"|(?<=\d)\d{2}(?P<s1>[ .-])\d{3}(?P=s1)\d{4}"  # 415-555-2671
    r"|(?<=0)\d{1,4}(?P<s2>[ .-])\d{2,8}(?:(?P=s2)\d{2,4}){0,4}"  # national trunk prefix 0
    r")(?![\w-]|[.,]\d)"
)
# Every phone number holds four digits with at most two separators between them.
_NUMBER_HINT = re.compile(r"\d[ .()-]{0,2}\d[ .()-]{0,2}\d[ .()-]{0,2}\d")
_AT = re.compile("@")


def _email(match: re.Match[str]) -> tuple[str, int]:
    """The domain must end in an alphabetic TLD: `pkg@1.2.3` and `user@host.local1` are kept."""
    tld = match[0].rsplit(".", 1)[-1]
    if len(tld) < 2 or not tld.isalpha():
        return match[0], 0
    return placeholder(RedactionKind.EMAIL), 1


def _phone(match: re.Match[str]) -> tuple[str, int]:
    digits = sum(c.isdigit() for c in match[0])
    if not 9 <= digits <= 15:  # 8 digits is a date like 01.02.2026; E.164 stops at 15
        return match[0], 0
    return placeholder(RedactionKind.PHONE), 1


def redact_emails(text: str) -> tuple[str, int]:
    return on_hinted_lines(text, _AT, lambda line: substitute(_EMAIL, line, _email))


def redact_phones(text: str) -> tuple[str, int]:
    return on_hinted_lines(text, _NUMBER_HINT, lambda line: substitute(_PHONE, line, _phone))
