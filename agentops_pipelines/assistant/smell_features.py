"""Candidate words of a requirement and their features, shared by training and detection.

A candidate is a word the learned layer may report as the trigger of a smell: a word of that
smell's vocabulary (lexicon words plus the trigger words seen in training) or a word inside a
lexicon hit. Each candidate gets sparse string features: the word, its neighbours, the rule
verdicts (kept / dropped by a context rule, hits of other smells), a crude part of speech from
the word's shape, and the scope checks of `smell_scope` (prohibition, bound, condition,
pronoun antecedents). Because a finding is a candidate word, every finding names its trigger.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from agentops_pipelines.assistant.ambiguity import LexiconMatch, lexicon_matches
from agentops_pipelines.assistant.smell_scope import (
    MODALS,
    NEGATIONS,
    PRONOUNS,
    Token,
    negation_context,
    tokenize,
    vague_pronoun_verdict,
)

_SUFFIXES = ("ly", "er", "est", "ble", "ive", "al", "ful", "ous", "ent", "ant", "ed", "ing", "ion")
_END = "</s>"
_START = "<s>"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One scored unit: token index, trigger text and span (a lexicon phrase when inside one)."""

    index: int
    trigger: str
    span: tuple[int, int]
    features: list[str]


@dataclass(frozen=True, slots=True)
class Analysis:
    tokens: list[Token]
    matches: list[LexiconMatch]
    covering: list[list[LexiconMatch]]  # per token: the lexicon hits that contain it


def analyse(text: str) -> Analysis:
    tokens = tokenize(text)
    matches = lexicon_matches(text, tokens=tokens)
    covering: list[list[LexiconMatch]] = [[] for _ in tokens]
    if matches:
        starts = [t.start for t in tokens]
        for m in matches:
            for i in range(bisect_left(starts, m.start), len(tokens)):
                if tokens[i].end > m.end:
                    break
                covering[i].append(m)
    return Analysis(tokens, matches, covering)


def _shape(tokens: list[Token], i: int) -> list[str]:
    tok = tokens[i]
    out = []
    if tok.text[0].isupper():
        out.append("cap_initial" if i == 0 or tokens[i - 1].lower in ".;:" else "cap")
    suffix = next(
        (s for s in _SUFFIXES if tok.lower.endswith(s) and len(tok.lower) > len(s) + 2), ""
    )
    if suffix:
        out.append("suf=" + suffix)
    return out


def _context(tokens: list[Token], i: int) -> list[str]:
    def word(k: int) -> str:
        if k < 0:
            return _START
        return tokens[k].lower if k < len(tokens) else _END

    w, p1, n1, p2, n2 = word(i), word(i - 1), word(i + 1), word(i - 2), word(i + 2)
    out = [f"w={w}", f"p1={p1}", f"n1={n1}", f"p2={p2}", f"n2={n2}", f"w_n1={w}_{n1}"]
    out.append(f"p1_w={p1}_{w}")
    if p1 in MODALS:
        out.append("after_modal")
    if n1[:1].isdigit() or n2[:1].isdigit():
        out.append("before_number")
    if "than" in (n1, n2):
        out.append("before_than")
        after_than = word(i + 2) if n1 == "than" else word(i + 3)
        if after_than[:1].isdigit() or after_than == "<":
            out.append("than_bound")  # 'less than 5 s', 'more than <xx>': a bound
    return out


def _scope(tokens: list[Token], i: int) -> list[str]:
    word = tokens[i].lower
    out: list[str] = []
    if word in NEGATIONS:
        out.extend("neg_" + f for f in negation_context(tokens, i))
    if word in PRONOUNS:
        verdict = vague_pronoun_verdict(tokens, i)
        out.append(f"antecedent={verdict or 'n/a'}")
    return out


def candidates(
    analysis: Analysis, smell: str, vocabulary: frozenset[str], cache: dict[int, list[str]]
) -> list[Candidate]:
    """Candidates of one smell; `cache` holds each token's smell-independent features."""
    tokens, covering = analysis.tokens, analysis.covering
    pronouns = smell == "vague_pronoun"  # every pronoun is weighed, not only listed ones
    out: list[Candidate] = []
    for i, tok in enumerate(tokens):
        here = covering[i]
        mine = [m for m in here if m.smell == smell] if here else []
        if not mine and tok.lower not in vocabulary and not (pronouns and tok.lower in PRONOUNS):
            continue
        if i not in cache:
            others = {m.smell for m in here if not m.excluded}
            cache[i] = (
                _context(tokens, i)
                + _shape(tokens, i)
                + _scope(tokens, i)
                + [f"rule_hit={s}" for s in sorted(others)]
            )
        features = list(cache[i])
        kept = [m for m in mine if not m.excluded]
        if kept:
            features.append("rule")
        elif mine:
            features.append("rule_dropped")
        elif pronouns and tok.lower in PRONOUNS:
            features.append("pronoun")
        else:
            features.append("vocabulary_only")
        phrase = max(kept or mine, key=lambda m: m.end - m.start) if mine else None
        if phrase is not None:
            trigger, span = phrase.text, (phrase.start, phrase.end)
        else:
            trigger, span = tok.text, (tok.start, tok.end)
        out.append(Candidate(i, trigger, span, features))
    return out
