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
    if smell == "vague_pronoun" and word == "such":
        return after.lstrip().startswith("as")  # "such as" introduces examples
    if smell == "vague_pronoun" and word in {"it", "this"}:
        # only a pronoun opening a sentence points outside the requirement itself
        opening = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".;:"
        return not opening or (word == "this" and bool(re.match(r"\s+[a-z]+\s", after)))
    if smell == "ambiguous_adverbs_adjectives" and word in {"at least", "at most"}:
        return bool(re.match(r"\s+\d", after))  # "at least 128 bits" is a bound
    if smell == "superlative" and word in {"least", "most"}:
        return clause.rstrip().endswith("at")  # "at least" / "at most" are bounds
    if smell == "comparative":
        if clause.rstrip().endswith(("no", "or", "any")):
            return True  # "no longer", "one or more", "any more"
        return bool(re.match(r"\s+than\s+[\d<]", after))  # "less than 5 s" is a bound
    if smell == "negative" and word in {"not", "never", "shall not"}:
        if re.match(r"\s+(?:be\s+)?(?:more|less|exceed|longer|greater)", after):
            return True  # "shall not exceed 2 s" is a measurable bound
        return bool(re.search(r"\b(if|when|whether|which|who|that|unless|where)\b", clause))
    return False


def find_smells(text: str) -> list[SmellFinding]:
    """All rule-layer findings for one requirement (or any short text), sorted by position."""
    from agentops_pipelines.assistant.conformance import conformance_findings

    findings = lexical_smells(text) + conformance_findings(text)
    return sorted(findings, key=lambda f: (f.span[0], f.smell))


def smells_present(text: str) -> set[str]:
    """The set of ARTA smells a requirement has (the benchmark's requirement-level decision)."""
    return {f.smell for f in lexical_smells(text, ARTA_SMELLS)}
