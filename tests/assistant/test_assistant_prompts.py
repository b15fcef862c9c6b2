"""The prompt library: every template file renders, versions are resolved and recorded."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from agentops_pipelines.assistant.ambiguity import ARTA_SMELLS, find_smells
from agentops_pipelines.assistant.context import Passage, Source
from agentops_pipelines.assistant.gaps import SpecGap
from agentops_pipelines.assistant.prompts import find_template, list_templates, render
from agentops_pipelines.specs.models import Requirement, SourceSpan

REQ = Requirement(
    id="R5",
    id_source="author",
    title="Field filters",
    text="The CLI shall match JSON fields exactly.",
    span=SourceSpan(start_line=3, end_line=3),
    content_hash="h",
)
VALUES = {
    "ask": {
        "question": "How are fields matched?",
        "passages": [
            Passage(
                source=Source(spec_id="cli/spec.md", requirement_ids=["R5"], chunk_id="c1"),
                text="The CLI shall match JSON fields exactly.",
                score=1.0,
                tokens=10,
            )
        ],
    },
    "suggest": {
        "gap": SpecGap(kind="missing_acceptance_criteria", message="R5 has no criteria"),
        "requirement": REQ,
        "spec_format": "plain",
        "style_hint": "Given/When/Then",
        "excerpt": "5. R5: The CLI shall match JSON fields exactly.",
    },
    "summary_spec": {
        "title": "logq",
        "spec_id": "cli/spec.md",
        "requirement_count": 1,
        "requirements": [REQ],
        "gaps": ["R5 has no acceptance criteria"],
    },
    "summary_change": {"spec_id": "cli/spec.md", "added": ["R9"], "changed": [], "removed": ["R2"]},
    "ambiguity_review": {
        "text": "The CLI should be fast.",
        "smells": list(ARTA_SMELLS),
        "rule_findings": find_smells("The CLI should be fast."),
    },
}
TEMPLATES = list_templates()


def test_assistant_prompts_library_covers_every_feature() -> None:
    features = {t.feature for t in TEMPLATES}
    assert features == set(VALUES)
    assert {t.lang for t in TEMPLATES} >= {"en", "fr"}


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.template_id for t in TEMPLATES])
def test_assistant_prompts_each_template_renders(template) -> None:
    rendered = render(template.feature, template.lang, template.version, **VALUES[template.feature])
    assert rendered.template_id == template.template_id
    assert rendered.version == f"v{template.version}"
    assert len(rendered.text) > 80 and "{{" not in rendered.text
    if template.feature == "ask":
        assert "[1] cli/spec.md § R5" in rendered.text
        assert "not found in the specs" in rendered.text


def test_assistant_prompts_missing_value_fails_loudly() -> None:
    with pytest.raises(UndefinedError):
        render("ask", question="only the question")


def test_assistant_prompts_language_falls_back_to_english() -> None:
    assert find_template("suggest", "de").template_id == "suggest.en.v1"
    assert find_template("ask", "fr").template_id == "ask.fr.v1"
    with pytest.raises(KeyError, match="no prompt template"):
        find_template("poetry")
