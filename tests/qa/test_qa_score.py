"""Per-requirement status, completion score, change tracking, flakiness, orphans, heat map."""

from __future__ import annotations

from pathlib import Path

from qa_factories import SPEC, record, results, spec, write_repo

from agentops_pipelines.qa.config import QAConfig
from agentops_pipelines.qa.pipeline import score_spec
from agentops_pipelines.qa.rules import load_rules

TESTS = """import pytest


@pytest.mark.requirement("R1")
def test_greets():
    pass


def test_r2_exit_code():
    pass


# R4: colours
def test_colour():
    pass
"""
SKELETON = """import pytest


@pytest.mark.requirement("R3")
def test_r3_ac_1():
    pytest.fail("R3 is not implemented yet")
"""


def _repo(tmp_path: Path, tests: str = TESTS) -> Path:
    return write_repo(
        tmp_path / "repo",
        {"tests/test_tool.py": tests, "tests/agentops/test_r3.py": SKELETON},
    )


def _records(r2: str = "failed") -> list:
    return [
        record("tests.test_tool.test_greets"),
        record("tests.test_tool.test_r2_exit_code", r2, message="exit 1"),
        record("tests.test_tool.test_colour"),
        record("tests.agentops.test_r3.test_r3_ac_1", "failed", origin="generated"),
    ]


def _score(tmp_path: Path, doc=None, recs=None, previous=None, **kw):
    root = _repo(tmp_path) if not (tmp_path / "repo").exists() else tmp_path / "repo"
    res = results(root, _records() if recs is None else recs, ["tests/agentops/test_r3.py"])
    return score_spec(doc or spec(), res, previous=previous, rules=load_rules(), **kw)


def test_statuses_from_links_and_results(tmp_path: Path) -> None:
    scores = _score(tmp_path)
    by_id = {r.id: r for r in scores.requirements}
    assert {k: r.status for k, r in by_id.items()} == {
        "R1": "passing",
        "R2": "failing",
        "R3": "untested",  # only a generated skeleton: never evidence, even failing
        "R4": "passing",
    }
    assert [(t.link_kind, t.result) for t in by_id["R1"].tests] == [("marker", "passed")]
    assert by_id["R2"].tests[0].link_kind == "name"
    assert by_id["R2"].tests[0].message == "exit 1"
    assert by_id["R4"].tests[0].link_kind == "comment"
    assert by_id["R3"].tests[0].origin == "generated"


def test_completion_is_weighted_share_with_a_passing_test(tmp_path: Path) -> None:
    scores = _score(tmp_path)
    # SHALL = 3 (R1, R2, R3), SHOULD = 2 (R4); R1 and R4 have a passing test.
    assert scores.weight_total == 11
    assert scores.weight_done == 5
    assert scores.completion_score == round(5 / 11, 4)
    flat = QAConfig(priority_weights={}, default_weight=1)
    doc = spec()
    res = results(_repo(tmp_path / "flat"), _records(), ["tests/agentops/test_r3.py"])
    assert score_spec(doc, res, config=flat, rules=[]).completion_score == 0.5


def test_rules_name_the_violating_requirements(tmp_path: Path) -> None:
    rules = {r.rule_id: r for r in _score(tmp_path).rules}
    assert rules["linked_tests_pass"].violations == ["R2"]
    assert rules["must_has_passing_test"].violations == ["R2", "R3"]
    assert rules["every_requirement_has_a_test"].violations == ["R3"]  # a skeleton is not a test
    assert rules["no_change_since_green"].passed
    assert rules["tests_claim_existing_requirements"].passed


def test_requirement_changed_since_green_until_its_tests_change(tmp_path: Path) -> None:
    first = _score(tmp_path)
    assert first.requirement("R1").last_green_hash is not None
    changed = spec(SPEC.replace("print a greeting", "print a greeting in French"))
    second = _score(tmp_path, doc=changed, previous=first)
    r1 = second.requirement("R1")
    assert r1.changed_since_green and r1.status == "passing"
    assert {r.rule_id: r.violations for r in second.rules}["no_change_since_green"] == ["R1"]
    heat = {c.factor: c for c in second.heatmap[0].cells}
    assert heat["change"].level == 3 and "last green run" in heat["change"].rule
    # Someone updates the test for the new text and it passes: a new green baseline.
    edited = TESTS.replace(
        "def test_greets():\n    pass", "def test_greets():\n    assert 'bonjour'"
    )
    (tmp_path / "repo" / "tests" / "test_tool.py").write_text(edited)
    third = _score(tmp_path, doc=changed, previous=second)
    assert not third.requirement("R1").changed_since_green
    assert third.requirement("R1").last_green_hash == changed.requirement("R1").content_hash
    # Editing an unrelated test in the same file does not count as updating R1's tests.
    again = spec(SPEC.replace("print a greeting", "print a greeting in German"))
    (tmp_path / "repo" / "tests" / "test_tool.py").write_text(
        edited + "\n\ndef test_other():\n    pass\n"
    )
    fourth = _score(tmp_path, doc=again, previous=third)
    assert fourth.requirement("R1").changed_since_green


def test_flakiness_from_recent_history(tmp_path: Path) -> None:
    scores = _score(tmp_path, recs=[record("tests.test_tool.test_greets")])
    for status in ("failed", "passed", "failed"):
        scores = _score(
            tmp_path, recs=[record("tests.test_tool.test_greets", status)], previous=scores
        )
    r1 = scores.requirement("R1")
    assert scores.test_history["repo:tests.test_tool.test_greets"] == [
        "passed",
        "failed",
        "passed",
        "failed",
    ]
    assert r1.flakiness == 1.0
    cell = {c.factor: c for c in scores.heatmap[0].cells}["flakiness"]
    assert cell.level == 3
    assert not {r.rule_id: r for r in scores.rules}["tests_not_flaky"].passed


def test_surefire_style_flaky_rerun_counts_as_flaky(tmp_path: Path) -> None:
    recs = [record("tests.test_tool.test_greets", flaky=True, reruns=1)]
    assert _score(tmp_path, recs=recs).requirement("R1").flakiness == 1.0


def test_orphan_claims_are_reported(tmp_path: Path) -> None:
    extra = (
        TESTS
        + """

@pytest.mark.requirement("R9")
def test_ghost():
    pass


def test_r42_also_ghost():
    pass
"""
    )
    _repo(tmp_path, extra)
    scores = _score(tmp_path)
    assert sorted(o.claimed_id for o in scores.orphans) == ["R42", "R9"]
    rule = {r.rule_id: r for r in scores.rules}["tests_claim_existing_requirements"]
    assert not rule.passed and any("R9" in v for v in rule.violations)


def test_heat_map_cells_carry_their_rule(tmp_path: Path) -> None:
    res = results(_repo(tmp_path), [], ["tests/agentops/test_r3.py"])
    scores = score_spec(spec(), res, rules=[], ambiguity=lambda r: 2)
    assert scores.factors == [
        "coverage",
        "failures",
        "flakiness",
        "ambiguity",
        "change",
        "priority",
    ]
    r3 = next(row for row in scores.heatmap if row.requirement_id == "R3")
    cells = {c.factor: c for c in r3.cells}
    assert cells["coverage"].level == 2 and "generated" in cells["coverage"].rule
    assert cells["ambiguity"].level == 2 and cells["ambiguity"].value == "2"
    assert cells["priority"].level == 3
    assert all(c.rule for row in scores.heatmap for c in row.cells)


def test_typescript_titles_match_jest_case_names(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path / "ts",
        {
            "__tests__/tool.test.ts": (
                "describe('tool', () => {\n"
                "  // R1: greeting\n"
                "  it('prints a greeting', () => {});\n"
                "  it('R2 exits cleanly', () => {});\n"
                "});\n"
            )
        },
    )
    recs = [
        record("tool.tool prints a greeting", origin="ci"),
        record("tool.tool R2 exits cleanly", "failed", origin="ci"),
    ]
    scores = score_spec(spec(), results(root, recs), rules=[])
    assert scores.requirement("R1").status == "passing"
    assert scores.requirement("R2").status == "failing"
    assert scores.requirement("R3").status == "untested"
