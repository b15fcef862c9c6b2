"""Lexical normalisation and query expansion for the keyword side of retrieval.

A question rarely uses the spec's own words: "How long are invoices kept?" asks about FR-009
"MUST retain issued invoices for [a retention period]". Both the BM25 query and the SpecGPT
relevance gate therefore compare lemmas (irregular forms folded, suffixes stripped) and let a
query word match any word of its synonym group. The groups are the vocabulary of requirements
(keep/retain/store, delete/remove/purge, how long/period/duration ...), not a general thesaurus.
"""

from __future__ import annotations

from functools import cache

# Irregular forms a suffix stripper cannot reach.
_IRREGULAR = {
    "kept": "keep",
    "held": "hold",
    "sent": "send",
    "paid": "pay",
    "sold": "sell",
    "bought": "buy",
    "made": "make",
    "built": "build",
    "chosen": "choose",
    "chose": "choose",
    "written": "write",
    "wrote": "write",
    "shown": "show",
    "given": "give",
    "taken": "take",
    "lost": "lose",
    "found": "find",
    "ran": "run",
    "began": "begin",
    "begun": "begin",
    "stolen": "steal",
    "frozen": "freeze",
    "deleted": "delete",
    "stored": "store",
    "archived": "archive",
    "retained": "retain",
}

# Each group: words a requirement and a question use for the same idea (already lemmatised).
_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "keep retain retention store preserve archive",
        "long period duration",
        "delete remove purge erase",
        "cancel revoke terminate",
        "fast quick latency speed",
        "login signin sign-in authenticate authentication",
        "price cost fee charge",
        "refund reimburse",
        "notify notification alert",
        "email mail",
        "error failure fail",
        "limit quota cap",
        "download export",
        "upload import",
        "permission role access authoris authoriz",
        "expire expiry expiration",
        # Rates: a question asks "per day", a requirement may say "daily".
        "day daily",
        "hour hourly",
        "week weekly",
        "month monthly",
    )
)


def stem(word: str) -> str:
    """Crude suffix stripping so 'retained' meets 'retain' and 'invoices' meets 'invoice'."""
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def lemma(word: str) -> str:
    """A lower-case word's base form: irregular forms first, then suffix stripping."""
    word = word.lower()
    return _IRREGULAR.get(word) or stem(word)


@cache
def _group_index() -> dict[str, frozenset[str]]:
    index: dict[str, frozenset[str]] = {}
    for group in _GROUPS:
        stems = frozenset(stem(w) for w in group)
        for word in stems:
            index[word] = index.get(word, frozenset()) | stems
    return index


def synonyms(term: str) -> frozenset[str]:
    """The lemmatised term with every word of its synonym groups (the term alone if none)."""
    return _group_index().get(term, frozenset()) | {term}


def expansions(words: list[str]) -> list[str]:
    """Words to add to a keyword query for `words`: base forms and synonyms not already there."""
    present = {w.lower() for w in words}
    extra: dict[str, None] = {}
    for word in words:
        base = lemma(word)
        for term in sorted(synonyms(base) | {base}):
            if term not in present:
                extra[term] = None
    return list(extra)
