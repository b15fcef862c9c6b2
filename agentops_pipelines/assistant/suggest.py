"""Section suggestions: each gap that can be fixed by adding text becomes a proposal with a
unified diff against the spec file. Nothing here writes the spec (see `review.accept`).
"""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel

from agentops_pipelines.assistant import drafts
from agentops_pipelines.assistant.gaps import SpecGap, spec_gaps
from agentops_pipelines.assistant.patching import make_diff
from agentops_pipelines.assistant.prompts import render
from agentops_pipelines.assistant.safety import screen_output
from agentops_pipelines.llm import LLMRequest, Message, Router, TaskType
from agentops_pipelines.security import redact
from agentops_pipelines.specs.models import Requirement, SpecDocument, SpecFormat

SUGGESTABLE = (
    "missing_acceptance_criteria",
    "unmeasurable_nfr",
    "missing_error_handling",
    "missing_security",
)
RULES_MODEL = "rules-draft-v1"

# Measurable stand-ins for vague quality words; the reviewer accepts, or rejects with a reason.
TARGETS = {
    "fast": "p95 response time under 500 ms at the expected peak load",
    "quick": "p95 response time under 500 ms at the expected peak load",
    "big": "files up to 5 GiB are processed at 100 MB/s or more",
    "large": "inputs up to 5 GiB are processed at 100 MB/s or more",
    "scalable": "sustains 10x the expected peak load with p95 latency under 1 s",
    "highly available": "99.9% monthly availability, measured per endpoint",
    "available": "99.9% monthly availability, measured per endpoint",
    "minimize": "peak memory under 200 MB for any input size",
    "minimise": "peak memory under 200 MB for any input size",
    "easy to use": "80% of first-time users complete the task unaided in a usability test",
    "user-friendly": "80% of first-time users complete the task unaided in a usability test",
    "no time": "cold start under 200 ms on the reference machine",
}


class SectionSuggestion(BaseModel):
    """A spec edit SpecGPT suggests (diff + new text), not yet stored; unrelated to a Git
    proposal (`gitops.changes.proposals.Proposal`), which is a change to push."""

    spec_id: str
    kind: str
    requirement_id: str | None
    title: str
    proposal: str
    diff: str
    base_hash: str
    new_text: str
    template: str
    template_version: str
    model: str
    tokens_in: int = 0
    tokens_out: int = 0


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def model_enabled(router: Router | None) -> bool:
    """A real provider is configured: the offline provider's templates write no spec text, so
    with only that one SpecGPT uses its rule drafts and extractive answers instead."""
    return router is not None and any(p.kind != "offline" for p in router.providers.values())


def _insert(markdown: str, after_line: int, block: list[str]) -> str:
    lines = markdown.splitlines()
    lines[after_line:after_line] = block
    return "\n".join(lines) + ("\n" if markdown.endswith("\n") else "")


def _end_line(req: Requirement) -> int:
    ends = [req.span.end_line] + [c.span.end_line for c in req.acceptance_criteria]
    return max(ends)


def _nfr_block(doc: SpecDocument, req: Requirement, gap: SpecGap) -> list[str]:
    words = [w.lower() for f in gap.findings for w in f.trigger_words]
    targets = list(dict.fromkeys(TARGETS[w] for w in words if w in TARGETS)) or [
        "a numeric target with unit and load (e.g. p95 under 500 ms at 50 requests/s)"
    ]
    if doc.format is SpecFormat.KIRO:
        start = len(req.acceptance_criteria) + 1
        actor = drafts.system_name(doc)
        return [f"{start + n}. THE {actor} SHALL meet: {t}" for n, t in enumerate(targets)]
    if doc.format is SpecFormat.OPENSPEC:
        out = ["", f"#### Scenario: {req.title or req.id} is measured", ""]
        return out + [f"- **THEN** {t}" for t in targets]
    return [f"  - Target ({req.id}): {t}" for t in targets]


def _model_lines(
    router: Router, prompt: str, doc: SpecDocument, workspace: str
) -> tuple[list[str], str, int, int]:
    result = router.complete(
        LLMRequest(
            task_type=TaskType.SUGGESTION,
            messages=[Message(role="user", content=redact(prompt).text)],
            workspace=workspace,
            spec=doc.spec_id,
        )
    )
    raw = [str(s).strip() for s in (result.data or {}).get("suggestions", []) if str(s).strip()]
    lines = [screen_output(line) for line in raw]  # a model line never carries a secret into a spec
    return lines, result.model or "unknown", result.tokens_in, result.tokens_out


def propose(
    doc: SpecDocument,
    markdown: str,
    *,
    router: Router | None = None,
    workspace: str = "default",
    lang: str = "en",
    gaps: list[SpecGap] | None = None,
) -> list[SectionSuggestion]:
    """One proposal per fixable gap, each diffed against `markdown` (the spec file as it is)."""
    base_hash = sha256_text(markdown)
    proposals = []
    for gap in gaps if gaps is not None else spec_gaps(doc, markdown):
        if gap.kind not in SUGGESTABLE:
            continue
        req = doc.requirement(gap.requirement_id) if gap.requirement_id else None
        prompt = render(
            "suggest",
            lang,
            gap=gap,
            requirement=req,
            spec_format=doc.format.value,
            style_hint=_style_hint(doc, gap),
            excerpt=markdown[:3000],
        )
        model, tokens_in, tokens_out = RULES_MODEL, 0, 0
        lines: list[str] = []
        if model_enabled(router):
            assert router is not None
            lines, model, tokens_in, tokens_out = _model_lines(router, prompt.text, doc, workspace)
        block, after, title = _block(doc, gap, req, lines, markdown)
        new_text = _insert(markdown, after, block)
        proposals.append(
            SectionSuggestion(
                spec_id=doc.spec_id,
                kind=gap.kind,
                requirement_id=gap.requirement_id,
                title=title,
                proposal="\n".join(block).strip("\n"),
                diff=make_diff(doc.spec_id, markdown, new_text),
                base_hash=base_hash,
                new_text=new_text,
                template=prompt.template_id,
                template_version=prompt.version,
                model=model,
                tokens_in=tokens_in,
                tokens_out=tokens_out,
            )
        )
    return proposals


def _style_hint(doc: SpecDocument, gap: SpecGap) -> str:
    if gap.kind == "missing_acceptance_criteria":
        return {
            SpecFormat.KIRO: "EARS criteria: 'WHEN <trigger>, THE <System> SHALL <response>'",
            SpecFormat.OPENSPEC: "scenario lines: WHEN ... / THEN ...",
        }.get(doc.format, "Given/When/Then criteria, one per line")
    return "one SHALL requirement per line, each testable"


def _block(
    doc: SpecDocument, gap: SpecGap, req: Requirement | None, lines: list[str], markdown: str
) -> tuple[list[str], int, str]:
    """(lines to insert, insert after this 1-based line, card title)."""
    end_of_file = len(markdown.splitlines())
    if gap.kind == "missing_acceptance_criteria" and req is not None:
        block = drafts.criteria_block(doc, req, drafts.criteria_lines(doc, req))
        if lines:
            block = _model_block(doc, lines)
        return block, _end_line(req), f"Add acceptance criteria to {req.id}"
    if gap.kind == "unmeasurable_nfr" and req is not None:
        block = (
            [f"  - Target ({req.id}): {ln}" for ln in lines] if lines else _nfr_block(doc, req, gap)
        )
        return block, _end_line(req), f"Make {req.id} measurable"
    statements = drafts.ERROR_HANDLING if gap.kind == "missing_error_handling" else drafts.SECURITY
    title = "Error handling" if gap.kind == "missing_error_handling" else "Security"
    block = drafts.section_block(doc, title, [*lines] or statements)
    return block, end_of_file, f"Add a {title.lower()} section"


def _model_block(doc: SpecDocument, lines: list[str]) -> list[str]:
    """A model's criteria lines laid out in the spec's format (numbering re-done here)."""
    clean = [re.sub(r"^\s*(?:[-*]|\d+[.)])\s*", "", ln) for ln in lines]
    if doc.format is SpecFormat.KIRO:
        return ["", "#### Acceptance Criteria", ""] + [f"{n}. {c}" for n, c in enumerate(clean, 1)]
    if doc.format is SpecFormat.OPENSPEC:
        return ["", "#### Scenario: proposed", ""] + [f"- {c}" for c in clean]
    if doc.format is SpecFormat.SPEC_KIT:
        return ["", "**Acceptance Scenarios**:", ""] + [f"{n}. {c}" for n, c in enumerate(clean, 1)]
    return [f"   - {c}" for c in clean]
