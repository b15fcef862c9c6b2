"""Conformance checks beside the lexical smells: RFC 2119 keywords, EARS shape, measurable NFRs.

These are about the form of a requirement rather than single words, so they live apart from the
lexicon matcher; `ambiguity.find_smells` merges both.
"""

from __future__ import annotations

import re

from agentops_pipelines.assistant.ambiguity import SmellFinding

_STRONG = re.compile(r"\b(SHALL|MUST|REQUIRED)\b")
_WEAK = re.compile(r"\b(should|may|might|could|can|will|would)\b", re.I)
_EARS = re.compile(
    r"^\s*(?:(?:when|while|if|where|whenever|after|before|as soon as|once)\b[^.]*?[,\s]\s*)?"
    r"(?:then\s+)?(?:the|a|an|each|every|all|any|no)\b[^.]{0,120}?\b(shall|must)\b",
    re.I,
)
_PRONOUN_SUBJECT = re.compile(
    r"(?:^|[.;:]\s*|\b(?:and|but)\s+)\b(it|this|they|these|that)\s+(?:shall|must|should|may|will|can)\b",
    re.I,
)
_NFR_WORDS = re.compile(
    r"\b(fast|faster|quick(?:ly)?|slow|responsive|performant|performance|scalable|scale|"
    r"highly available|available|availability|reliable|reliability|robust|efficient|"
    r"user-friendly|easy to use|intuitive|big|large|huge|high traffic|minimi[sz]e|"
    r"maximi[sz]e|no time|low latency|secure)\b",
    re.I,
)
_MEASURE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:%|ms|s\b|sec|seconds?|minutes?|min\b|hours?|h\b|days?|"
    r"[kmgt]i?b\b|bytes?|requests?|rps|qps|users?|items?|files?|times|x\b|nines|"
    r"percent|p\d\d|mb/s|gb/s|concurrent)|\bp(?:50|90|95|99)\b|\b99(?:\.\d+)?\s*%",
    re.I,
)


def conformance_findings(text: str) -> list[SmellFinding]:
    """RFC 2119 / EARS / NFR findings for one requirement text (empty for non-requirements)."""
    findings: list[SmellFinding] = []
    stripped = text.strip()
    if not stripped:
        return findings
    weak = _WEAK.search(stripped)
    user_story = re.match(r"(?:\*\*)?as an?\b", stripped, re.I)  # "so that I can" is no modal
    if weak and not _STRONG.search(stripped) and not user_story:
        findings.append(
            SmellFinding(
                smell="rfc2119",
                trigger_words=[weak.group(0)],
                span=_shift(text, weak.span()),
                suggested_rewrite=(
                    f"Replace '{weak.group(0)}' with SHALL/MUST (RFC 2119) if the behaviour is "
                    "mandatory, or mark the requirement optional explicitly."
                ),
            )
        )
    if re.search(r"\bshall\b", stripped, re.I) and not _EARS.search(stripped):
        findings.append(
            SmellFinding(
                smell="ears",
                trigger_words=[],
                span=(0, len(text)),
                suggested_rewrite=(
                    "Use an EARS pattern: '[When <trigger>,] the <system> shall <response>' "
                    "(or While/If ... then/Where)."
                ),
            )
        )
    subject = _PRONOUN_SUBJECT.search(text)
    if subject:
        findings.append(
            SmellFinding(
                smell="vague_subject",
                trigger_words=[subject.group(1)],
                span=subject.span(1),
                suggested_rewrite=(
                    f"Name the actor instead of '{subject.group(1)}' (e.g. 'The CLI shall ...')."
                ),
            )
        )
    findings.extend(unmeasurable_nfr(text))
    return findings


def unmeasurable_nfr(text: str) -> list[SmellFinding]:
    """A quality word (fast, scalable, ...) with no number and unit anywhere in the text."""
    if _MEASURE.search(text):
        return []
    return [
        SmellFinding(
            smell="unmeasurable_nfr",
            trigger_words=[m.group(0)],
            span=m.span(),
            suggested_rewrite=(
                f"Make '{m.group(0)}' measurable: a number with a unit and a percentile or "
                "load (e.g. 'p95 under 300 ms at 50 requests/s')."
            ),
        )
        for m in _NFR_WORDS.finditer(text)
    ]


def _shift(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Offsets found in the stripped text, moved back to the caller's original text."""
    offset = len(text) - len(text.lstrip())
    return (span[0] + offset, span[1] + offset)
