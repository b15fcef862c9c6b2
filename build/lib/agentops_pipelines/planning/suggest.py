"""Suggest the template that fits a spec best, for runs where nobody picked one."""

from __future__ import annotations

from agentops_pipelines.planning.rules import keyword_regex, normalise_text
from agentops_pipelines.planning.template_registry import TEMPLATES
from agentops_pipelines.specs.models import SpecDocument


def rank_templates(doc: SpecDocument) -> list[tuple[str, int]]:
    """(template id, keyword hits), best first; ties keep the TEMPLATES order."""
    corpus = normalise_text(
        " ".join([doc.title, *(f"{r.title or ''} {r.text}" for r in doc.requirements)])
    ).lower()
    scores = [
        (tid, sum(1 for k in t.keywords if keyword_regex(k).search(corpus)))
        for tid, t in TEMPLATES.items()
    ]
    order = {tid: i for i, tid in enumerate(TEMPLATES)}
    return sorted(scores, key=lambda s: (-s[1], order[s[0]]))


def suggest_template(doc: SpecDocument) -> str:
    return rank_templates(doc)[0][0]
