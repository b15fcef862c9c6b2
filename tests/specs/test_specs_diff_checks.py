"""diff_requirements and the shared quality checks."""

from __future__ import annotations

from agentops_pipelines.specs.checks import (
    CheckOutcome,
    check_acceptance_criteria,
    check_clarifications,
    check_parses,
    run_all_checks,
)
from agentops_pipelines.specs.diff import diff_requirements
from agentops_pipelines.specs.models import Finding
from agentops_pipelines.specs.parsing import parse_spec

V1 = """# Spec
## Functional Requirements
- **FR-001**: System MUST send invoices.
- **FR-002**: System MUST void invoices.
- **FR-003**: System MUST print invoices.
"""
V2 = """# Spec
## Functional Requirements
- **FR-003**: System MUST print invoices.
- **FR-001**: System MUST send invoices by email.
- **FR-004**: System MUST [NEEDS CLARIFICATION: archive how?] archive invoices.
"""


def test_diff_added_changed_removed_sorted() -> None:
    diff = diff_requirements(parse_spec("s.md", V1), parse_spec("s.md", V2))
    assert (diff.added, diff.changed, diff.removed) == (["FR-004"], ["FR-001"], ["FR-002"])
    assert not diff.is_empty


def test_diff_against_nothing_and_against_itself() -> None:
    doc = parse_spec("s.md", V2)
    assert diff_requirements(None, doc).added == ["FR-001", "FR-003", "FR-004"]
    assert diff_requirements(doc, parse_spec("s.md", V2 + "\n\nSome prose.\n")).is_empty


STORY_WITHOUT_SCENARIOS = """# Spec
### User Story 1 - Send (Priority: P1)
A clerk sends an invoice.
"""


def test_checks_on_a_spec_with_gaps() -> None:
    """spec-kit keeps scenarios under user stories: a story without any is the gap, while its
    FR bullets are checked through the stories and are not flagged one by one."""
    doc = parse_spec("s.md", STORY_WITHOUT_SCENARIOS + V2.removeprefix("# Spec\n"))
    parses, criteria, clar = run_all_checks(doc)
    assert (parses.name, parses.passed, parses.severity) == ("spec_parses", True, "ERROR")
    assert parses.metadata["requirements"] == 4
    assert (criteria.passed, criteria.severity) == (False, "WARN")
    assert criteria.metadata["missing"] == ["US-1"]
    assert (clar.passed, clar.severity) == (False, "WARN")
    assert clar.metadata["open"] == ["FR-004: archive how?"]
    assert clar.metadata["requirement_ids"] == ["FR-004"]
    codes = [f.code for f in doc.findings]
    assert codes.count("missing-acceptance-criteria") == 1
    assert codes.count("unresolved-clarification") == 1


def test_check_parses_fails_on_empty_spec_and_error_findings() -> None:
    empty = parse_spec("s.md", "# Nothing here\n")
    assert check_parses(empty).passed is False
    doc = parse_spec("s.md", V1)
    assert check_parses(doc).passed is True
    doc.findings.append(Finding(code="broken", severity="error", message="bad table"))
    outcome = check_parses(doc)
    assert outcome.passed is False and outcome.metadata["errors"] == ["broken: bad table"]


def test_clean_spec_passes_every_check() -> None:
    text = "# S\n\n- The system shall export.\n  - a CSV file is written\n"
    outcomes = run_all_checks(parse_spec("s.md", text))
    assert all(isinstance(o, CheckOutcome) and o.passed for o in outcomes)
    assert check_acceptance_criteria(parse_spec("s.md", text)).metadata["missing"] == []
    assert check_clarifications(parse_spec("s.md", text)).metadata["open_count"] == 0
