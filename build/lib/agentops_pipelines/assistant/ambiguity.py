"""Rule layer of the ambiguity detector: needs no model, explains every finding.

`find_smells(text)` is the public entry point (QA scores call it too, keep its signature). It
returns the ten ARTA smells found by lexicon (subjective language ... polysemy) plus the
conformance checks of `assistant/conformance.py` (EARS / RFC 2119, unmeasurable NFRs).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

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


def lexical_smells(text: str, smells: tuple[str, ...] | None = None) -> list[SmellFinding]:
    """Lexicon matches (every smell of the lexicon file unless `smells` narrows it)."""
    lexicons = load_lexicons()
    smells = tuple(lexicons) if smells is None else smells
    findings: list[SmellFinding] = []
    for smell in smells:
        if smell not in lexicons:
            continue
        pattern, rewrite = lexicons[smell]
        for match in pattern.finditer(text):
            if _excluded(smell, text, match):
                continue
            findings.append(
                SmellFinding(
                    smell=smell,
                    trigger_words=[match.group(0)],
                    span=(match.start(), match.end()),
                    suggested_rewrite=rewrite,
                )
            )
    return findings


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
    if word in {"it", "this"}:
        # only a pronoun opening a sentence points outside the requirement itself
        opening = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".;:"
        return not opening or (word == "this" and bool(re.match(r"\s+[a-z]+\s", after)))
    return False


def _names_a_standard(text: str, match: re.Match[str]) -> bool:
    """'CENELEC Standard', 'SQL standard', 'Standard ISO 9241' cite a named standard."""
    acronym = r"[A-Z][A-Z0-9]+"
    before = re.search(acronym + r"\s+$", text[max(0, match.start() - 16) : match.start()])
    return bool(before or re.match(r"\s+" + acronym + r"\b", text[match.end() :]))


def find_smells(text: str) -> list[SmellFinding]:
    """All rule-layer findings for one requirement (or any short text), sorted by position."""
    from agentops_pipelines.assistant.conformance import conformance_findings

    findings = lexical_smells(text) + conformance_findings(text)
    return sorted(findings, key=lambda f: (f.span[0], f.smell))


def smells_present(text: str) -> set[str]:
    """The set of ARTA smells a requirement has (the benchmark's requirement-level decision)."""
    return {f.smell for f in lexical_smells(text, ARTA_SMELLS)}
