"""Detectors for payment card numbers (Luhn) and IBANs (ISO 7064 mod-97 + country format).

Both are found the same way: a cheap regex finds a maximal run of groups (`4242 4242 ...`,
`GB82 WEST ...`), then the groups are scanned for a span that has the right shape and passes
the checksum. Working on whole groups means `4242 4242 4242 4242 12/29` still yields the card
and two numbers written back to back are both found, while each start tries at most one or a
few spans, so a megabyte of digits costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from stdnum import iban, numdb

from agentops_pipelines.security.kinds import (
    RedactionKind,
    on_hinted_lines,
    placeholder,
    substitute,
)

# The first character is matched before the lookbehinds so `re` can skip ahead to candidates.
# A run may not continue a word ending in a digit (`DE89 3704 ...`, the digits of an IBAN).
_DIGIT_RUN = re.compile(r"\d(?<![\w+.,/-]\d)(?<!\d[ -]\d)(?>\d*\b(?:[ -]\d+\b)*)(?!\w|[.,]\d)")
_IBAN_RUN = re.compile(r"[A-Z](?<![\w-][A-Z])(?>[A-Z]\d{2}[A-Z0-9]*\b(?: [A-Z0-9]+\b)*)(?![\w-])")
_DIGITS = re.compile(r"\d+")
_ALNUM = re.compile(r"[A-Z0-9]+")
_IBAN_START = re.compile(r"[A-Z]{2}\d{2}")
# Every card number holds four digits with at most two separators between them.
_NUMBER_HINT = re.compile(r"\d[ .()-]{0,2}\d[ .()-]{0,2}\d[ .()-]{0,2}\d")

_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # digit -> digit * 2 with its digits summed

Groups = list[re.Match[str]]


def _luhn_valid(digits: str) -> bool:
    """Luhn check by table: `stdnum.luhn` is general (any alphabet) and ~30x slower here."""
    odd = sum(map(int, digits[-1::-2]))
    even = sum(map(_DOUBLED.__getitem__, map(int, digits[-2::-2])))
    return (odd + even) % 10 == 0


def _scan(
    run: str, groups: Groups, end_at: Callable[[int], int | None], kind: RedactionKind
) -> tuple[str, int]:
    """Replace accepted spans left to right; `end_at(i)` gives a span's last group, or None."""
    out: list[str] = []
    found, cursor, i = 0, 0, 0
    while i < len(groups):
        j = end_at(i)
        if j is None:
            i += 1
            continue
        out += [run[cursor : groups[i].start()], placeholder(kind)]
        cursor, found, i = groups[j].end(), found + 1, j + 1
    out.append(run[cursor:])
    return "".join(out), found


def _card_layout(lengths: list[int]) -> bool:
    """Printed card layouts: unspaced, fours with a shorter tail (4-4-4-4-3), or 4-6-5 / 4-6-4.

    Anything else (3-3-4 phone shapes, 2-digit date parts) is not read as a card at all.
    """
    if len(lengths) == 1:
        return True
    if lengths[0] != 4:
        return False
    if len(lengths) == 3 and lengths[1] == 6:
        return lengths[2] in (4, 5)
    return all(n == 4 for n in lengths[:-1]) and 1 <= lengths[-1] <= 4


def _card_end(groups: Groups) -> Callable[[int], int | None]:
    """Longest span from group i of 13-19 digits in a card layout, issuer 2-6, Luhn-valid."""
    texts = [group[0] for group in groups]

    def end_at(i: int) -> int | None:
        first = texts[i]
        if first[0] not in "23456" or (len(first) != 4 and not 13 <= len(first) <= 19):
            return None
        lengths: list[int] = []
        candidates: list[tuple[int, str]] = []
        digits = ""
        for j in range(i, min(i + 5, len(texts))):  # 19 digits make at most 5 groups of 4
            lengths.append(len(texts[j]))
            digits += texts[j]
            if len(digits) > 19:
                break
            if len(digits) >= 13 and _card_layout(lengths):
                candidates.append((j, digits))
        for j, number in reversed(candidates):
            if _luhn_valid(number):
                return j
        return None

    return end_at


@lru_cache(maxsize=256)
def _iban_length(country: str) -> int | None:
    """IBAN length for a country from stdnum's copy of the SWIFT registry, None if unknown."""
    bban = numdb.get("iban").info(country)[0][1].get("bban")
    return 4 + sum(int(n) for n in re.findall(r"(\d+)!", bban)) if bban else None


def _iban_end(run: str, groups: Groups) -> Callable[[int], int | None]:
    """The span from group i that has its country's IBAN length and passes `iban.is_valid`."""

    def end_at(i: int) -> int | None:
        start = groups[i][0]
        length = _iban_length(start[:2]) if _IBAN_START.match(start) else None
        if length is None:
            return None
        size = 0
        for j in range(i, len(groups)):
            size += len(groups[j][0])
            if size >= length:
                span = run[groups[i].start() : groups[j].end()]
                return j if size == length and iban.is_valid(span) else None
        return None

    return end_at


def _cards(match: re.Match[str]) -> tuple[str, int]:
    groups = list(_DIGITS.finditer(match[0]))
    return _scan(match[0], groups, _card_end(groups), RedactionKind.CARD_NUMBER)


def _ibans(match: re.Match[str]) -> tuple[str, int]:
    groups = list(_ALNUM.finditer(match[0]))
    return _scan(match[0], groups, _iban_end(match[0], groups), RedactionKind.IBAN)


def redact_cards(text: str) -> tuple[str, int]:
    return on_hinted_lines(text, _NUMBER_HINT, lambda line: substitute(_DIGIT_RUN, line, _cards))


def redact_ibans(text: str) -> tuple[str, int]:
    return substitute(_IBAN_RUN, text, _ibans)
