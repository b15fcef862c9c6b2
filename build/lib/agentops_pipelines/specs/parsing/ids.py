"""Stable requirement IDs and content hashes.

A derived ID hashes only the requirement's own normalised title or text, so reordering the file
or editing another requirement never changes it; collisions are numbered in document order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, punctuation stripped, whitespace collapsed: edits that change no words vanish."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", text.lower())).strip()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def derived_id(title_or_text: str, taken: set[str]) -> str:
    """`REQ-<8 hex>`; a clash inside one document gets -2, -3, ... in order of appearance."""
    base = "REQ-" + sha256(normalise(title_or_text))[:8]
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def content_hash(text: str, criteria: Iterable[str]) -> str:
    """Hash of the normalised requirement text and its criteria texts, for change detection."""
    parts = [normalise(text), *(normalise(c) for c in criteria)]
    return sha256("\n".join(parts))
