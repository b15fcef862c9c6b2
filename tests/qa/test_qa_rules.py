"""The YAML rules engine: loading, validation errors a user can act on, evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.qa.config import QAConfigError, load_qa_config
from agentops_pipelines.qa.rules import Rule, evaluate_rules, load_rules
from agentops_pipelines.qa.score_models import LinkedTest, OrphanLink, QAScores, RequirementQA
from agentops_pipelines.specs.models import Requirement, RequirementKind, SourceSpan


def _req(rid: str, status: str, modal: str = "SHALL", **kw: object) -> RequirementQA:
    return RequirementQA(
        id=rid, title=rid, modal=modal, weight=3, status=status, content_hash="h", **kw
    )  # type: ignore[arg-type]


SCORES = QAScores(
    spec_id="s",
    computed_at="now",
    completion_score=0.5,
    requirements=[
        _req("R1", "untested", "MUST"),
        _req("R2", "untested", "MAY"),
        _req("R3", "failing", "SHOULD"),
        _req(
            "R4",
            "passing",
            changed_since_green=True,
            flakiness=0.5,
            tests=[
                LinkedTest(
                    test_id="t", origin="repo", link_kind="marker", file="t.py", result="passed"
                )
            ],
        ),
    ],
    orphans=[OrphanLink(test_id="t::x", claimed_id="R9", file="t.py")],
)


def test_bundled_rules_load_and_name_requirements() -> None:
    results = {r.rule_id: r for r in evaluate_rules(SCORES, load_rules())}
    assert results["must_has_passing_test"].violations == ["R1"]  # MUST/SHALL only
    assert results["no_change_since_green"].violations == ["R4"]
    assert results["linked_tests_pass"].violations == ["R3"]
    assert results["tests_claim_existing_requirements"].violations == ["R9 (t::x)"]
    assert results["tests_not_flaky"].violations == ["R4"]
    assert results["tests_not_flaky"].severity == "warn"


def test_selector_by_status_and_spec_level_parameter() -> None:
    rules = [
        Rule(
            id="a", description="d", expect="has_passing_test", applies_to={"status": ["failing"]}
        ),
        Rule(id="b", description="d", expect="completion_at_least", param=0.8),
    ]
    a, b = evaluate_rules(SCORES, rules)
    assert a.violations == ["R3"]
    assert not b.passed and b.violations == ["completion 0.50"]


def test_unknown_predicate_is_named(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - id: x\n    description: d\n    expect: has_tests\n")
    with pytest.raises(QAConfigError, match="unknown predicate 'has_tests'") as info:
        load_rules(path)
    assert str(path) in str(info.value)


def test_duplicate_rule_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    rule = "  - id: x\n    description: d\n    expect: has_linked_test\n"
    path.write_text("rules:\n" + rule + rule)
    with pytest.raises(QAConfigError, match="unique"):
        load_rules(path)


def test_broken_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text("priority_weights: [unclosed\n")
    with pytest.raises(QAConfigError, match="qa.yaml"):
        load_qa_config(path)


def test_priority_weights_from_config(tmp_path: Path) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text("priority_weights: {P1: 5}\ndefault_weight: 0.5\n")
    config = load_qa_config(path)
    assert config.weight("p1", "SHALL") == 5
    assert config.weight(None, "SHALL") == 0.5
    assert load_qa_config().weight(None, "SHOULD") == 2  # bundled config/qa.yaml


def test_heat_map_ambiguity_comes_from_the_smell_detector() -> None:
    from agentops_pipelines.defs.assets.qa import _ambiguity_findings

    vague = Requirement(
        id="R1",
        id_source="author",
        kind=RequirementKind.FUNCTIONAL,
        title="t",
        text="The system should be fast and user-friendly where possible.",
        span=SourceSpan(start_line=1, end_line=1),
        content_hash="h1",
    )
    crisp = vague.model_copy(
        update={"text": "The system SHALL return the invoice PDF within 2 seconds."}
    )
    assert _ambiguity_findings(vague) >= 2
    assert _ambiguity_findings(crisp) == 0
