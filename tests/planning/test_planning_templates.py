from __future__ import annotations

import pytest
from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from agentops_pipelines.planning import TEMPLATES, PlanInputError, build_plan, plan_to_markdown
from agentops_pipelines.planning.engine import plan_environment
from agentops_pipelines.planning.models import SECTION_NAMES
from agentops_pipelines.specs.models import SpecFormat
from tests.support.planning_factories import requirement, spec_doc


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_every_template_renders_all_sections_and_covers_every_requirement(template_id: str) -> None:
    doc = spec_doc()
    plan = build_plan(doc, template_id)
    assert [s.name for s in plan.sections] == list(SECTION_NAMES)
    assert all(s.markdown.strip() for s in plan.sections)
    assert plan.uncovered() == []
    assert set(plan.requirement_ids) == {r.id for r in doc.requirements}
    assert plan.template_id == template_id
    assert plan.template_version == TEMPLATES[template_id].version
    assert plan.spec_content_hash == doc.content_hash
    md = plan_to_markdown(plan)
    for rid in plan.requirement_ids:
        assert rid in md


def test_rules_map_requirements_to_components_and_default_to_core() -> None:
    plan = build_plan(spec_doc(), "rest_service")
    owners = {c.id: c.requirement_ids for c in plan.components}
    assert "FR-001" in owners["api"]
    assert "FR-002" in owners["storage"]
    assert "FR-004" in owners["notifications"]
    assert "FR-005" in owners["jobs"]
    assert owners["core"] == ["FR-006"]
    assert plan.section("data_model").requirement_ids == ["FR-002"]
    assert "api.http" in {i.id for i in plan.interfaces}


def test_stack_is_ranked_with_reasons_and_alternatives() -> None:
    plan = build_plan(spec_doc(), "rest_service")
    by_cat = {c.category: c for c in plan.stack}
    assert set(by_cat) == {"language", "framework", "storage", "deployment"}
    for choice in plan.stack:
        assert choice.chosen_by == "ranking"
        assert choice.chosen.reasons and choice.alternatives
        assert all(choice.chosen.score >= a.score for a in choice.alternatives)
    assert by_cat["framework"].chosen.id in {"fastapi", "net-http", "express"}
    python = build_plan(spec_doc(), "rest_service", stack_choices={"language": "python"})
    assert {c.category: c.chosen.id for c in python.stack}["framework"] == "fastapi"
    assert "Alternatives" in plan.section("architecture").markdown


def test_user_stack_choice_wins_and_keeps_alternatives() -> None:
    plan = build_plan(spec_doc(), "rest_service", stack_choices={"storage": "sqlite"})
    storage = next(c for c in plan.stack if c.category == "storage")
    assert (storage.chosen.id, storage.chosen_by) == ("sqlite", "user")
    assert "postgresql" in {a.id for a in storage.alternatives}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"template_id": "nope"}, "template"),
        ({"template_id": "rest_service", "stack_choices": {"storage": "oracle"}}, "stack.storage"),
        ({"template_id": "rest_service", "stack_choices": {"os": "linux"}}, "stack"),
    ],
)
def test_bad_inputs_name_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(PlanInputError) as err:
        build_plan(spec_doc(), **kwargs)
    assert err.value.field == field


def test_empty_and_duplicate_specs_are_rejected() -> None:
    with pytest.raises(PlanInputError, match="no requirements"):
        build_plan(spec_doc([]).model_copy(update={"requirements": []}), "rest_service")
    dup = [requirement("FR-1", "a"), requirement("FR-1", "b")]
    with pytest.raises(PlanInputError, match="duplicate"):
        build_plan(spec_doc(dup), "rest_service")


def test_enrichment_output_is_used_and_marked() -> None:
    seen: list[str] = []

    def enrich(section: str, draft: str) -> str:
        seen.append(section)
        return draft + "\nEXTRA"

    plan = build_plan(spec_doc(), "web_feature", enrich=enrich)
    assert seen == list(SECTION_NAMES)
    assert plan.llm_enriched and all(s.source == "llm" for s in plan.sections)
    assert plan.section("risks").markdown.endswith("EXTRA")
    assert "LLM-enriched" in plan_to_markdown(plan)
    assert not build_plan(spec_doc(), "web_feature").llm_enriched


def test_environment_is_sandboxed_and_strict() -> None:
    env = plan_environment()
    assert isinstance(env, SandboxedEnvironment)
    assert env.undefined is StrictUndefined
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__[1].__subclasses__() }}").render(x="")


def test_risks_list_clarifications_and_missing_criteria() -> None:
    reqs = [
        requirement("FR-1", "The API must respond.", criteria=0),
        requirement("FR-2", "Store it.", clarifications=["How long?"]),
    ]
    # Kiro: every requirement carries its own criteria (spec-kit keeps them under user stories)
    doc = spec_doc(reqs).model_copy(update={"format": SpecFormat.KIRO})
    plan = build_plan(doc, "rest_service")
    risks = plan.section("risks")
    assert risks.requirement_ids == ["FR-1", "FR-2"]
    assert "How long?" in risks.markdown and "no acceptance criteria" in risks.markdown


def test_rule_and_stack_files_load_strictly() -> None:
    from agentops_pipelines.planning.rules import load_rules
    from agentops_pipelines.planning.stack import CATEGORIES, load_stacks

    rules = load_rules()
    ids = [r.id for r in rules.rules]
    assert len(ids) == len(set(ids))
    assert all(k == k.lower() for r in rules.rules for k in r.keywords)
    assert "," in rules.rules[0].component.description  # YAML flow maps must quote free text
    stacks = load_stacks()
    assert set(stacks.categories) == set(CATEGORIES)
    for options in stacks.categories.values():
        assert all(set(o.base) == set(TEMPLATES) for o in options)
