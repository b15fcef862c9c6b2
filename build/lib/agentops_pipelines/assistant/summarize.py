"""Summaries per spec and per change (from the requirement-level diff).

The rule summary is built from the parsed spec only, so it is exact; with a model provider the
router rewrites it as prose from the same facts (the template keeps it to those facts).
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from agentops_pipelines.assistant.gaps import SpecGap, spec_gaps
from agentops_pipelines.assistant.prompts import render
from agentops_pipelines.assistant.suggest import model_enabled
from agentops_pipelines.llm import LLMRequest, Message, Router, TaskType
from agentops_pipelines.security import redact
from agentops_pipelines.specs.diff import diff_requirements
from agentops_pipelines.specs.models import SpecDocument

RULES_MODEL = "rules-summary-v1"


class Summary(BaseModel):
    spec_id: str
    kind: str  # "spec" | "change"
    text: str
    template: str
    template_version: str
    model: str


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _label(doc: SpecDocument, requirement_id: str) -> str:
    try:
        req = doc.requirement(requirement_id)
    except KeyError:
        return requirement_id
    return f"{requirement_id} ({_short(req.title or req.text, 60)})"


def _via_model(
    router: Router | None, prompt: str, spec_id: str, workspace: str, run_id: str | None
) -> tuple[str, str] | None:
    if not model_enabled(router):
        return None
    assert router is not None
    result = router.complete(
        LLMRequest(
            task_type=TaskType.SUMMARY,
            messages=[Message(role="user", content=redact(prompt).text)],
            workspace=workspace,
            spec=spec_id,
            run_id=run_id,
        )
    )
    text = (result.data or {}).get("summary")
    return (str(text), result.model or "?") if text else None


def summarize_spec(
    doc: SpecDocument,
    markdown: str = "",
    *,
    router: Router | None = None,
    workspace: str = "default",
    run_id: str | None = None,
    gaps: list[SpecGap] | None = None,
) -> Summary:
    gaps = gaps if gaps is not None else spec_gaps(doc, markdown)
    kinds = Counter(g.kind for g in gaps if g.kind != "ambiguity")
    prompt = render(
        "summary_spec",
        title=doc.title,
        spec_id=doc.spec_id,
        requirement_count=len(doc.requirements),
        requirements=doc.requirements[:20],
        gaps=[g.message for g in gaps if g.kind != "ambiguity"][:10],
    )
    main = "; ".join(_label(doc, r.id) for r in doc.requirements[:6])
    more = f" and {len(doc.requirements) - 6} more" if len(doc.requirements) > 6 else ""
    open_gaps = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items()))
    ambiguous = sum(1 for g in gaps if g.kind == "ambiguity")
    text = (
        f"{doc.title} ({doc.format.value}) has {len(doc.requirements)} requirements and "
        f"{doc.criteria_count} acceptance criteria. Main requirements: {main}{more}. "
        + (f"Open gaps: {open_gaps}. " if open_gaps else "No structural gaps found. ")
        + (f"{ambiguous} requirements have ambiguous wording." if ambiguous else "")
    ).strip()
    model = RULES_MODEL
    written = _via_model(router, prompt.text, doc.spec_id, workspace, run_id)
    if written:
        text, model = written
    return Summary(
        spec_id=doc.spec_id,
        kind="spec",
        text=text,
        template=prompt.template_id,
        template_version=prompt.version,
        model=model,
    )


def summarize_change(
    current: SpecDocument,
    previous: SpecDocument | None = None,
    *,
    router: Router | None = None,
    workspace: str = "default",
    run_id: str | None = None,
) -> Summary:
    """What changed between two versions; uses `current.diff` when no previous is given."""
    if previous is not None:
        diff = diff_requirements(previous, current)
    else:  # the diff stored at ingest; None on a spec's first materialisation: all is new
        diff = current.diff or diff_requirements(None, current)
    added = [_label(current, r) for r in diff.added]
    changed = [_label(current, r) for r in diff.changed]
    removed = [_label(previous, r) if previous else r for r in diff.removed]
    prompt = render(
        "summary_change", spec_id=current.spec_id, added=added, changed=changed, removed=removed
    )
    if diff.is_empty:
        text = f"{current.spec_id}: no requirement changed since the previous version."
    else:
        parts = [
            f"{label} {len(items)}: {'; '.join(items)}"
            for label, items in (("added", added), ("changed", changed), ("removed", removed))
            if items
        ]
        text = f"{current.spec_id}: " + ". ".join(parts) + "."
    model = RULES_MODEL
    written = (
        None
        if diff.is_empty
        else _via_model(router, prompt.text, current.spec_id, workspace, run_id)
    )
    if written:
        text, model = written
    return Summary(
        spec_id=current.spec_id,
        kind="change",
        text=text,
        template=prompt.template_id,
        template_version=prompt.version,
        model=model,
    )
