"""Scope checks a word list cannot make: what a negation attaches to, what a pronoun refers to.

- A negation right after a modal ("must not", "shall never", "cannot") is a prohibition: a
  precise, testable statement, not the negative-requirement smell.
- A pronoun is vague when the requirement gives it no antecedent of the same number, or more
  than one; with exactly one candidate noun phrase before it ("The radio shall beep when it
  receives a call") the referent is clear.

No tagger is shipped (spaCy's English models are not on PyPI), so noun phrases are found with a
closed-class word list: a determiner opens a phrase, its last content word is the head.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|\d+(?:[.,]\d+)*|[^\s\w]")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    lower: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [
        Token(m.group(0), m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


MODALS = frozenset({"shall", "must", "should", "will", "may", "can", "could", "would", "might"})
NEGATIONS = frozenset({"not", "never", "n't"})
PERSONAL = frozenset({"it", "its", "they", "them", "their", "theirs"})
DEMONSTRATIVE = frozenset({"this", "these", "those", "that"})
PRONOUNS = PERSONAL | DEMONSTRATIVE | frozenset({"which", "who", "whom", "whose", "what"})
_SINGULAR = frozenset({"it", "its", "this", "that"})
_DETERMINERS = _words(
    "the a an each every any all its their his her this that these those some no our your "
    "my another other such both either neither"
)
_BE_HAVE = _words("is are was were be been being has have had does do did")
_FUNCTION = (
    MODALS
    | _BE_HAVE
    | _DETERMINERS
    | PRONOUNS
    | _words(
        "of in on at to for from by with within without into onto over under about after "
        "before between during through via per than as and or but nor if when while where "
        "whether unless until once so because not never only also then there here he she we "
        "you i"
    )
)
_CLAUSE_END = frozenset({".", ";", ":", "!", "?"})
_CONDITION = frozenset({"if", "when", "whether", "unless", "where", "which", "who", "that"})
_BOUND_AFTER = frozenset({"exceed", "more", "less", "longer", "greater", "fewer", "later"})


def is_prohibition(tokens: list[Token], i: int) -> bool:
    """`not`/`never` at i directly scoped by a modal: 'must not', 'shall never', 'can not'."""
    prev = tokens[i - 1].lower if i > 0 else ""
    return tokens[i].lower in NEGATIONS and prev in MODALS


def negation_context(tokens: list[Token], i: int) -> list[str]:
    """Features of a negation's scope: prohibition, a bound ('not exceed 2 s'), a condition."""
    out = []
    if is_prohibition(tokens, i):
        out.append("prohibition")
    nxt = [t.lower for t in tokens[i + 1 : i + 3]]
    if nxt and (nxt[0] in _BOUND_AFTER or nxt[-1] in _BOUND_AFTER):
        out.append("bound")
    for t in reversed(tokens[max(0, i - 8) : i]):
        if t.lower in _CLAUSE_END or t.lower == ",":
            break
        if t.lower in _CONDITION:
            out.append("condition")
            break
    return out


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous"))


def _is_content(tok: Token) -> bool:
    return tok.text[0].isalpha() and tok.lower not in _FUNCTION and not tok.lower.endswith("ly")


_PREPOSITIONS = _words(
    "of in on at to for from by with within without into onto over under about after "
    "before between during through via per and or"
)


def noun_heads(tokens: list[Token], end: int) -> list[str]:
    """Heads of the noun phrases before token `end`: a run of content words opened by a
    determiner, a preposition or the start of a sentence ends in its head ('the train driver'
    -> 'driver'); acronyms such as 'RBC' count too (names a reader can refer back to)."""
    heads: list[str] = []
    opener = True  # the text starts a sentence
    j = 0
    while j < end:
        tok = tokens[j]
        if opener and _is_content(tok):
            k = j
            while k < end and k - j < 4 and _is_content(tokens[k]):
                k += 1
            heads.append(tokens[k - 1].lower)
            opener, j = False, k
            continue
        if len(tok.text) >= 2 and tok.text.isalpha() and tok.text.rstrip("s").isupper():
            heads.append(tok.lower)
        opener = (
            tok.lower in _DETERMINERS
            or tok.lower in _PREPOSITIONS
            or tok.lower in _CLAUSE_END
            or (opener and not tok.text[0].isalpha())  # '5.2.2.7 The ...' numbering
        )
        j += 1
    return heads


_EXPLETIVE_COMPLEMENT = frozenset({"to", "that", "for", "whether", "when", "if"})
_EXTRAPOSED = _words(
    "possible impossible necessary unnecessary required acceptable unacceptable desirable "
    "important essential mandatory recommended allowed permitted expected likely unlikely "
    "advisable envisaged evident preferable sufficient intended assumed understood clear "
    "responsibility"
)


def expletive_it(tokens: list[Token], i: int) -> bool:
    """'It shall be possible to ...', 'it is required that ...': a dummy subject with no
    referent (unlike 'it shall be stored for 30 days', where 'it' stands for something)."""
    if tokens[i].lower != "it":
        return False
    k = i + 1
    while k < len(tokens) and (
        tokens[k].lower in MODALS or tokens[k].lower in {"also", "not", "then", "always"}
    ):
        k += 1
    if k >= len(tokens) or tokens[k].lower not in {"be", "is", "was", "becomes"}:
        return False
    window = [t.lower for t in tokens[k + 1 : k + 6] if t.lower not in {"also", "made", "the"}]
    if not window or window[0] not in _EXTRAPOSED:
        return False
    return any(w in _EXPLETIVE_COMPLEMENT for w in window[1:])


def antecedents(tokens: list[Token], i: int) -> int:
    """Distinct noun-phrase heads before pronoun i that agree with it in number."""
    singular = tokens[i].lower in _SINGULAR
    heads = {h for h in noun_heads(tokens, i) if _plural(h) != singular}
    return len(heads)


def pronoun_use(tokens: list[Token], i: int) -> bool:
    """A demonstrative stands alone ('this shall', 'of those.') rather than before a noun
    ('this function'); personal pronouns always stand alone."""
    if tokens[i].lower in PERSONAL:
        return True
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is None or not _is_content(nxt) or nxt.lower in _BE_HAVE


def vague_pronoun_verdict(tokens: list[Token], i: int) -> str | None:
    """'clear' (exactly one antecedent), 'none' (no antecedent), 'many' (several), or None
    when token i is not a personal/demonstrative pronoun standing alone."""
    word = tokens[i].lower
    if word not in PERSONAL and word not in (DEMONSTRATIVE - {"that"}):
        return None
    if not pronoun_use(tokens, i) or expletive_it(tokens, i):
        return None
    count = antecedents(tokens, i)
    return "clear" if count == 1 else ("none" if count == 0 else "many")
