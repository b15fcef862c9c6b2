"""Ambiguity detector: the rule layer (lexicons + context rules) and the public entry point.

`find_smells(text)` is the public entry point (SpecGPT, QA scores call it, keep its signature).
The rules here find lexicon hits and judge them in context; the learned layer
(`smell_model.py`) takes those verdicts as features and decides the ten ARTA smells (subjective
language ... polysemy); `assistant/conformance.py` adds EARS / RFC 2119 / unmeasurable NFRs.
Every finding names its trigger words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from agentops_pipelines.assistant.smell_scope import Token, tokenize, vague_pronoun_verdict

LEXICON_PATH = Path(__file__).with_name("lexicons") / "smells.yaml"

ARTA_SMELLS: tuple[str, ...] = (
    "subjective_language",
    "ambiguous_adverbs_adjectives",
    "loophole",
    "nonverifiable_term",
    "superlative",
    "comparative",
    "negative",
    "vague_pronoun",
    "uncertain_verb",
    "polysemy",
)


class SmellFinding(BaseModel):
    """One finding: which smell, the words that triggered it, where, and how to fix it."""

    smell: str = Field(description="One of ARTA_SMELLS or a conformance code (e.g. rfc2119)")
    trigger_words: list[str]
    span: tuple[int, int] = Field(description="Character offsets [start, end) in the input text")
    suggested_rewrite: str
    source: str = Field(default="rules", description="'rules' or 'model'")


class _Lexicon(BaseModel):
    rewrite: str
    terms: list[str]


@lru_cache(maxsize=4)
def load_lexicons(path: Path = LEXICON_PATH) -> dict[str, tuple[re.Pattern[str], str]]:
    """Compile each smell's word list into one regex (cached: the file is read once)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    compiled: dict[str, tuple[re.Pattern[str], str]] = {}
    for smell, body in raw.items():
        lex = _Lexicon.model_validate(body)
        alternatives = sorted((_term_regex(t) for t in lex.terms), key=len, reverse=True)
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)
        compiled[smell] = (pattern, lex.rewrite)
    return compiled


def _term_regex(term: str) -> str:
    """A lexicon term as a regex: words separated by any whitespace, `*` = any word ending."""
    stem = term.endswith("*")
    words = [re.escape(w) for w in term.rstrip("*").split()]
    return r"\s+".join(words) + (r"[\w-]*" if stem else "")


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    """A lexicon hit, kept or dropped by a context rule (the learned layer sees both)."""

    smell: str
    start: int
    end: int
    text: str
    excluded: bool


def lexicon_matches(
    text: str, smells: tuple[str, ...] | None = None, tokens: list[Token] | None = None
) -> list[LexiconMatch]:
    """Every lexicon hit in `text` with its context-rule verdict, plus pronouns without a
    clear antecedent (found by `smell_scope`, not by the word list)."""
    lexicons = load_lexicons()
    smells = tuple(lexicons) if smells is None else smells
    out: list[LexiconMatch] = []
    for smell in smells:
        if smell not in lexicons:
            continue
        pattern = lexicons[smell][0]
        for match in pattern.finditer(text):
            excluded = _excluded(smell, text, match)
            out.append(LexiconMatch(smell, match.start(), match.end(), match.group(0), excluded))
    if "vague_pronoun" in smells:
        out.extend(_pronouns_without_antecedent(tokenize(text) if tokens is None else tokens))
    return out


def _pronouns_without_antecedent(tokens: list[Token]) -> list[LexiconMatch]:
    """'It shall be shown' (nothing before it to refer to) is vague; 'The radio shall beep
    when it rings' is not. Pronouns with several candidates are left to the learned layer."""
    out = []
    for i, tok in enumerate(tokens):
        if tok.lower in _LEXICON_PRONOUNS:
            continue  # 'them'/'those' come from the word list, checked in _excluded
        verdict = vague_pronoun_verdict(tokens, i)
        if verdict in {"none", "clear"}:  # 'many': left to the learned layer, not a rule
            out.append(
                LexiconMatch("vague_pronoun", tok.start, tok.end, tok.text, verdict == "clear")
            )
    return out


_LEXICON_PRONOUNS = frozenset({"them", "those"})


def lexical_smells(text: str, smells: tuple[str, ...] | None = None) -> list[SmellFinding]:
    """Lexicon matches (every smell of the lexicon file unless `smells` narrows it)."""
    lexicons = load_lexicons()
    return [
        SmellFinding(
            smell=m.smell,
            trigger_words=[m.text],
            span=(m.start, m.end),
            suggested_rewrite=lexicons[m.smell][1],
        )
        for m in lexicon_matches(text, smells)
        if not m.excluded
    ]


def _excluded(smell: str, text: str, match: re.Match[str]) -> bool:
    """Context rules that keep common false positives out (a lexicon alone cannot see these)."""
    word = " ".join(match.group(0).lower().split())
    after = text[match.end() : match.end() + 24].lower()
    clause = re.split(r"[,;:.()]", text[max(0, match.start() - 48) : match.start()].lower())[-1]
    if smell == "vague_pronoun":
        return _determiner_not_pronoun(word, text, match, after, clause)
    if smell == "ambiguous_adverbs_adjectives" and word in {"at least", "at most"}:
        return bool(re.match(r"\s+\d", after))  # "at least 128 bits" is a bound
    if smell == "superlative" and word in {"least", "most"}:
        return clause.rstrip().endswith("at")  # "at least" / "at most" are bounds
    if smell == "comparative":
        if clause.rstrip().endswith(("no", "or", "any")):
            return True  # "no longer", "one or more", "any more"
        return bool(re.match(r"\s+th[ae]n\s+[\d<]", after))  # "less than 5 s" is a bound
    if smell == "negative" and _prohibition(text, match):
        return True  # "must not", "shall never", "cannot": a prohibition, precise and testable
    if smell == "negative" and word in {"not", "never", "shall not"}:
        if re.match(r"\s+(?:be\s+)?(?:more|less|exceed|longer|greater)", after):
            return True  # "shall not exceed 2 s" is a measurable bound
        return bool(re.search(r"\b(if|when|whether|which|who|that|unless|where)\b", clause))
    if smell == "subjective_language" and word in {"standard", "standards"}:
        return _names_a_standard(text, match)
    if smell == "subjective_language" and word == "different":
        return bool(re.search(_COUNT_WORDS, clause))  # "two different modes" enumerates
    return False


_COUNT_WORDS = r"(?:\b(?:two|three|four|five|six|several|following)|\d)\s*$"


def _determiner_not_pronoun(
    word: str, text: str, match: re.Match[str], after: str, clause: str
) -> bool:
    """`such`/`other`/`it`/`this` are vague only where a reader must guess the referent."""
    if word == "such":
        # "such as" gives examples; "such that ..." / "in such a way that" state the property
        return bool(re.match(r"\s+(?:as|that|an?\s+\w+\s+that)\b", text[match.end() :], re.I))
    if word in {"other", "others"}:
        # "other than X" names the exception; "all/any other X" is the closed complement set
        quantified = re.search(r"\b(?:all|any|each|every|no)\s*$", clause)
        return after.lstrip().startswith("than") or bool(quantified)
    if word == "another":
        return bool(re.search(r"\bone\s+[\w-]+(?:\s+[\w-]+)?\s+to\s*$", clause))  # one X to another
    if word in _LEXICON_PRONOUNS:
        tokens = tokenize(text)
        index = next((i for i, t in enumerate(tokens) if t.start == match.start()), None)
        return index is not None and vague_pronoun_verdict(tokens, index) == "clear"
    return False


_MODAL_NEGATION = re.compile(
    r"(?:\b(?:shall|must|should|will|may|can|could|would|might)\s+$)", re.I
)


def _prohibition(text: str, match: re.Match[str]) -> bool:
    """The negation is scoped by a modal: 'shall not', 'must not', 'must never', "can't"."""
    word = " ".join(match.group(0).lower().split())
    if word in {"shall not", "can't", "won't"}:
        return True
    return word in {"not", "never"} and bool(_MODAL_NEGATION.search(text[: match.start()]))


def _names_a_standard(text: str, match: re.Match[str]) -> bool:
    """'CENELEC Standard', 'SQL standard', 'Standard ISO 9241' cite a named standard."""
    acronym = r"[A-Z][A-Z0-9]+"
    before = re.search(acronym + r"\s+$", text[max(0, match.start() - 16) : match.start()])
    return bool(before or re.match(r"\s+" + acronym + r"\b", text[match.end() :]))


def find_smells(text: str) -> list[SmellFinding]:
    """All findings for one requirement (or any short text), sorted by position.

    The learned layer (`smell_model`, weights shipped with the package) decides the ten ARTA
    smells over the rule verdicts; the word lists alone give the two spec smells outside ARTA
    (open_ended, vague_verb); `conformance` adds RFC 2119 / EARS / NFR checks. Every finding
    names its trigger words."""
    from agentops_pipelines.assistant.conformance import conformance_findings
    from agentops_pipelines.assistant.smell_features import analyse
    from agentops_pipelines.assistant.smell_model import load_model

    analysis = analyse(text)
    rewrites = load_lexicons()
    spec_smells = [
        SmellFinding(
            smell=m.smell,
            trigger_words=[m.text],
            span=(m.start, m.end),
            suggested_rewrite=rewrites[m.smell][1],
        )
        for m in analysis.matches
        if m.smell not in ARTA_SMELLS and not m.excluded
    ]
    findings = load_model().findings(text, analysis) + spec_smells + conformance_findings(text)
    return sorted(findings, key=lambda f: (f.span[0], f.smell))


def rule_findings(text: str) -> list[SmellFinding]:
    """The rule layer alone (lexicons + context rules + conformance): the benchmark's baseline."""
    from agentops_pipelines.assistant.conformance import conformance_findings

    findings = lexical_smells(text) + conformance_findings(text)
    return sorted(findings, key=lambda f: (f.span[0], f.smell))


def smells_present(text: str) -> set[str]:
    """The ARTA smells the rule layer finds in a requirement (the baseline's decision)."""
    return {f.smell for f in lexical_smells(text, ARTA_SMELLS)}


def learned_smells_present(text: str) -> set[str]:
    """The ARTA smells `find_smells` reports (the learned layer's requirement-level decision)."""
    return {f.smell for f in find_smells(text) if f.smell in ARTA_SMELLS}
