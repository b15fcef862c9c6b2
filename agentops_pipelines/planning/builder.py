"""Build a PlanDraft from a SpecDocument: stack, components, then the rendered sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentops_pipelines.planning.engine import render_sections
from agentops_pipelines.planning.mapping import map_requirements, natural_key
from agentops_pipelines.planning.models import (
    SECTION_NAMES,
    PlanDraft,
    PlanInputError,
    PlanSection,
)
from agentops_pipelines.planning.rules import load_rules, normalise_text
from agentops_pipelines.planning.stack import select_stack
from agentops_pipelines.planning.template_registry import get_template
from agentops_pipelines.specs.criteria import needs_own_criteria
from agentops_pipelines.specs.models import Requirement, SpecDocument

Enricher = Callable[[str, str], str]
SECTION_TITLES = {name: name.replace("_", " ").capitalize() for name in SECTION_NAMES}


def _summary(req: Requirement, words: int = 14) -> str:
    """One table-safe line per requirement: markdown tables break on pipes and newlines."""
    text = normalise_text(req.title or req.text).replace("|", "/")
    parts = text.split(" ")
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


# Lint findings that restate what the loop over requirements already lists as a risk.
_COVERED_ABOVE = frozenset({"missing-acceptance-criteria", "unresolved-clarification"})


def _risks(doc: SpecDocument) -> list[dict[str, str]]:
    """Open clarifications, missing criteria and lint findings are what can derail delivery."""
    risks: list[dict[str, str]] = []
    for req in sorted(doc.requirements, key=lambda r: natural_key(r.id)):
        for question in req.clarifications:
            risks.append({"requirement_id": req.id, "reason": f"needs clarification: {question}"})
        if not req.acceptance_criteria and needs_own_criteria(doc.format, req):
            reason = "no acceptance criteria; tests are derived from the text alone"
            risks.append({"requirement_id": req.id, "reason": reason})
    known = {r.id for r in doc.requirements}
    for finding in doc.findings:
        if finding.code in _COVERED_ABOVE:  # the same fact as a line above: say it once
            continue
        if finding.requirement_id in known and finding.severity != "info":
            risks.append(
                {"requirement_id": finding.requirement_id or "", "reason": finding.message}
            )
    return risks


def _waves(requirements: list[Requirement]) -> list[tuple[str, list[str]]]:
    """Roll out by priority: P1/MUST first, unprioritised requirements last."""
    order = {"MUST": 0, "SHALL": 0, "SHOULD": 1, "MAY": 2}
    groups: dict[str, list[str]] = {}
    for req in requirements:
        groups.setdefault((req.priority or "unprioritised").upper(), []).append(req.id)

    def rank(p: str) -> tuple[int, object]:
        if p == "UNPRIORITISED":
            return (3, 0)
        if p in order:
            return (1, order[p])
        return (0, natural_key(p)) if p.startswith("P") else (2, p)

    return [(p.lower() if p == "UNPRIORITISED" else p, groups[p]) for p in sorted(groups, key=rank)]


def _enriched(enrich: Enricher, name: str, draft: str) -> str:
    """Guard the hook's output: an LLM that returns nothing must not blank a plan section."""
    text = enrich(name, draft)
    if not isinstance(text, str) or not text.strip():
        raise PlanInputError(
            "enrich", f"enrichment of section {name!r} returned no text", "fix the enrich hook"
        )
    return text


def _check_input(doc: SpecDocument) -> None:
    if not doc.requirements:
        raise PlanInputError(
            "spec_document",
            f"spec {doc.spec_id!r} has no requirements",
            "add FR-### items, user stories or SHALL/MUST sentences, then parse it again",
        )
    ids = [r.id for r in doc.requirements]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise PlanInputError(
            "spec_document",
            f"duplicate requirement IDs {dupes}",
            "give each requirement its own ID",
        )


def build_plan(
    doc: SpecDocument,
    template_id: str,
    stack_choices: dict[str, str] | None = None,
    enrich: Enricher | None = None,
) -> PlanDraft:
    """Plan a spec with one template; `enrich(section, draft)` may rewrite sections (LLM)."""
    _check_input(doc)
    template = get_template(template_id)
    rules = load_rules()
    reqs = sorted(doc.requirements, key=lambda r: natural_key(r.id))
    all_ids = [r.id for r in reqs]
    stack = select_stack(doc, template_id, stack_choices)
    components, interfaces = map_requirements(reqs, rules)
    risks = _risks(doc)
    storage_ids = sorted(
        {rid for c in components if c.kind == "storage" for rid in c.requirement_ids},
        key=natural_key,
    )
    interface_ids = sorted({rid for i in interfaces for rid in i.requirement_ids}, key=natural_key)
    risk_ids = sorted({r["requirement_id"] for r in risks}, key=natural_key)
    section_ids = {
        "context": all_ids,
        "architecture": all_ids,
        "components": all_ids,
        "data_model": storage_ids,
        "interfaces": interface_ids,
        "risks": risk_ids,
        "test_strategy": all_ids,
        "rollout": all_ids,
    }
    context: dict[str, Any] = {
        "spec": {"id": doc.spec_id, "title": doc.title, "format": str(doc.format)},
        "template": template.model_dump(),
        "requirements": [
            {
                "id": r.id,
                "kind": str(r.kind),
                "priority": r.priority,
                "summary": _summary(r),
                "criteria_count": len(r.acceptance_criteria),
            }
            for r in reqs
        ],
        "components": [c.model_dump() for c in components],
        "interfaces": [i.model_dump() for i in interfaces],
        "stack": [c.model_dump() for c in stack],
        "chosen": {c.category: c.chosen.label for c in stack},
        "storage_requirements": storage_ids,
        "risks": risks,
        "criteria_count": doc.criteria_count,
        "rollout_waves": _waves(reqs),
    }
    rendered = render_sections(template_id, context)
    sections: list[PlanSection] = []
    for name in SECTION_NAMES:
        text = rendered[name] if enrich is None else _enriched(enrich, name, rendered[name])
        sections.append(
            PlanSection(
                name=name,
                title=SECTION_TITLES[name],
                markdown=text,
                requirement_ids=section_ids[name],
                # Only a section the hook actually rewrote is marked as LLM output.
                source="template" if text == rendered[name] else "llm",
            )
        )
    return PlanDraft(
        spec_id=doc.spec_id,
        spec_title=doc.title,
        spec_content_hash=doc.content_hash,
        template_id=template.id,
        template_version=template.version,
        rules_version=rules.version,
        stack=stack,
        components=components,
        interfaces=interfaces,
        sections=sections,
        requirement_ids=all_ids,
        llm_enriched=any(section.source == "llm" for section in sections),
    )
