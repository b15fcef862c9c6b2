"""Spec-level gaps: missing acceptance criteria, unresolved clarifications, missing error-handling
or security sections, unmeasurable NFRs, and the ambiguity findings of every requirement.

Pure functions over a parsed `SpecDocument` and its markdown; the page, the suggestions and QA
share them.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from agentops_pipelines.assistant.ambiguity import SmellFinding, find_smells
from agentops_pipelines.specs.criteria import is_nfr, needs_own_criteria
from agentops_pipelines.specs.models import Requirement, RequirementKind, SpecDocument

GapKind = Literal[
    "missing_acceptance_criteria",
    "unresolved_clarification",
    "missing_error_handling",
    "missing_security",
    "unmeasurable_nfr",
    "ambiguity",
]

# Smells worth a reviewer's time in a spec; the rest (polysemy, negatives, ...) stay available
# through find_smells but would bury the real gaps in a page of notes.
SPEC_SMELLS = frozenset(
    {
        "subjective_language",
        "ambiguous_adverbs_adjectives",
        "loophole",
        "nonverifiable_term",
        "superlative",
        "comparative",
        "open_ended",
        "vague_verb",
        "vague_subject",
        "rfc2119",
        "unmeasurable_nfr",
    }
)

_FAILURE = re.compile(
    r"\b(if|when|while)\b.*\b(fails?|failed|failure|invalid|unavailable|unreachable|"
    r"times? out|timeout|not found|exceeds?|does not match|denied|cannot|unparsable|malformed|"
    r"missing|expired|refused|already used|not accepted)\b|\breject|\brefuse|\bhttp [45]\d\d\b|"
    r"\bretr(?:y|ies)\b|exit code [1-9]|\berror (message|code)|\b(return|show|report)s? an error",
    re.I,
)
_ERROR_HEADING = re.compile(r"error|failure|edge case|exception", re.I)
_SECURITY = re.compile(
    r"authenticat|authori[sz]|permission|access control|\brole|\btoken|encrypt|secret|malware|"
    r"virus|credential|forbidden|\b40[13]\b|signed url|sign(?:ed|ature)|owner|admin",
    re.I,
)
_EXPOSED = re.compile(r"\b(upload|download|https?|endpoint|api|url|link|public)\b", re.I)


class SpecGap(BaseModel):
    kind: GapKind
    message: str
    requirement_id: str | None = None
    line: int | None = Field(default=None, description="1-based line in the spec file, if known")
    findings: list[SmellFinding] = Field(default_factory=list)


def requirement_gaps(doc: SpecDocument, req: Requirement) -> list[SpecGap]:
    gaps: list[SpecGap] = []
    line = req.span.start_line
    if needs_own_criteria(doc.format, req) and not req.acceptance_criteria:
        gaps.append(
            SpecGap(
                kind="missing_acceptance_criteria",
                requirement_id=req.id,
                line=line,
                message=f"{req.id} has no acceptance criteria: nothing says how to test it",
            )
        )
    for question in req.clarifications:
        gaps.append(
            SpecGap(
                kind="unresolved_clarification",
                requirement_id=req.id,
                line=line,
                message=f"{req.id} is waiting for a decision: {question}",
            )
        )
    texts = [req.text] + [c.text for c in req.acceptance_criteria]
    findings = [f for t in texts for f in find_smells(t) if f.smell in SPEC_SMELLS]
    nfr = [f for f in findings if f.smell == "unmeasurable_nfr"]
    if nfr and (is_nfr(req) or req.kind is RequirementKind.SUCCESS_CRITERION):
        words = ", ".join(dict.fromkeys(w for f in nfr for w in f.trigger_words))
        gaps.append(
            SpecGap(
                kind="unmeasurable_nfr",
                requirement_id=req.id,
                line=line,
                message=f"{req.id} is not measurable ({words}): give a number, unit and load",
                findings=nfr,
            )
        )
    others = [f for f in findings if f.smell != "unmeasurable_nfr" or not is_nfr(req)]
    if others:
        words = ", ".join(dict.fromkeys(w.lower() for f in others for w in f.trigger_words))
        gaps.append(
            SpecGap(
                kind="ambiguity",
                requirement_id=req.id,
                line=line,
                message=f"{req.id} has ambiguous wording: {words}",
                findings=others,
            )
        )
    return gaps


def spec_gaps(doc: SpecDocument, markdown: str = "") -> list[SpecGap]:
    """Every gap of one spec, requirement gaps first (in spec order), then missing sections."""
    gaps = [g for req in doc.requirements for g in requirement_gaps(doc, req)]
    for section in doc.sections:
        if _ERROR_HEADING.search(section.title) and section.text.strip():
            findings = [f for f in find_smells(section.text) if f.smell in SPEC_SMELLS]
            if findings:
                words = ", ".join(
                    dict.fromkeys(w.lower() for f in findings for w in f.trigger_words)
                )
                gaps.append(
                    SpecGap(
                        kind="ambiguity",
                        line=section.span.start_line,
                        message=f"section '{section.title}' leaves behaviour open: {words}",
                        findings=findings,
                    )
                )
    texts = [r.text for r in doc.requirements] + [
        f"{c.title or ''}. {c.text}" for r in doc.requirements for c in r.acceptance_criteria
    ]
    body = "\n".join(re.sub(r"`[^`]*`", "", t) for t in texts)  # `--level error` is no behaviour
    failure_clauses = sum(1 for c in re.split(r"[.;\n]", body) if _FAILURE.search(c))
    has_error_heading = any(_ERROR_HEADING.search(s.title) for s in doc.sections)
    if doc.requirements and not has_error_heading and failure_clauses <= 1:
        gaps.append(
            SpecGap(
                kind="missing_error_handling",
                message=(
                    "no error handling: nothing says what happens when an input is invalid, a "
                    "dependency is unavailable or an operation times out"
                ),
            )
        )
    text = markdown or body
    if len(_EXPOSED.findall(text)) >= 8 and len(_SECURITY.findall(text)) <= 2:
        gaps.append(
            SpecGap(
                kind="missing_security",
                message=(
                    "no security requirements: the spec exposes files/endpoints/links but never "
                    "says who may use them (authentication, authorisation) or how content is "
                    "checked"
                ),
            )
        )
    return gaps
