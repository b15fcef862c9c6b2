"""Arbitrary markdown-ish input either parses or raises SpecInputError, nothing else."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_pipelines.specs.models import SpecInputError
from agentops_pipelines.specs.parsing import decode_spec, parse_spec

LINES = [
    "# Title",
    "## Requirements",
    "### Requirement 1: A",
    "### 需求 2：B",
    "### Requirement: C",
    "#### Scenario: D",
    "#### Acceptance Criteria",
    "### User Story 1 - E (Priority: P1)",
    "**Acceptance Scenarios**:",
    "1. **Given** x, **When** y, **Then** z",
    "- **FR-001**: System MUST do it [NEEDS CLARIFICATION: what?]",
    "- **SC-001**: fast",
    "- **WHEN** a **THEN** b",
    "  - nested item that shall hold",
    "2. WHEN x THE SYSTEM SHALL y",
    "R1: the system shall work",
    "> quoted must text",
    "| a | b |",
    "|---|---|",
    "```",
    "~~~",
    "",
    "plain prose",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=40))
def test_random_documents_parse_or_fail_cleanly(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        doc = parse_spec("fuzz.md", decode_spec("fuzz.md", text.encode()))
    except SpecInputError as exc:
        assert "fuzz.md" in str(exc)
        return
    ids = [r.id for r in doc.requirements]
    assert len(ids) == len(set(ids))
    n_lines = len(text.split("\n"))
    for req in doc.requirements:
        assert 1 <= req.span.start_line <= req.span.end_line <= n_lines
        criterion_ids = [c.id for c in req.acceptance_criteria]
        assert len(criterion_ids) == len(set(criterion_ids))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    with contextlib.suppress(SpecInputError):
        parse_spec("fuzz.md", decode_spec("fuzz.md", data))
