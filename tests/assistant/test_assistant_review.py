"""Human in the loop: proposals with diffs; accept writes the spec file, reject needs a reason;
acceptance rate per feature and template."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.assistant import feedback, suggestion_store
from agentops_pipelines.assistant.review import ReviewError
from agentops_pipelines.assistant.specgpt import SpecGPT
from agentops_pipelines.specs.parsing.parse import parse_spec

SPEC = "log-search-cli/spec.md"


def test_assistant_suggest_proposes_diffs_without_touching_the_spec(specgpt_home: Path) -> None:
    path = specgpt_home / "specs" / SPEC
    before = path.read_text()
    suggestions = SpecGPT().suggest(SPEC, "ada")
    kinds = {(s.kind, s.requirement_id) for s in suggestions}
    assert {("missing_acceptance_criteria", r) for r in ("R5", "R7", "R8")} <= kinds
    assert ("missing_error_handling", None) in kinds
    assert ("unmeasurable_nfr", "NFR-1") in kinds
    for s in suggestions:
        assert s.status == "proposed" and s.diff.startswith(f"--- a/{SPEC}\n+++ b/{SPEC}\n")
        assert s.template == "suggest.en.v1" and s.template_version == "v1"
        assert s.model == "rules-draft-v1"
    assert path.read_text() == before
    assert len(SpecGPT().suggest(SPEC, "ada")) == len(suggestions)  # regenerating: no duplicates
    assert len(suggestion_store.list_suggestions(SpecGPT().sessions, SPEC)) == len(suggestions)


def test_assistant_accept_applies_the_diff_and_records_the_decision(specgpt_home: Path) -> None:
    specgpt = SpecGPT()
    by_req = {s.requirement_id: s for s in specgpt.suggest(SPEC, "ada")}
    path = specgpt.accept(by_req["R5"].id, "grace").path
    assert path == (specgpt_home / "specs" / SPEC).resolve()
    doc = parse_spec(SPEC, path.read_text())
    assert len(doc.requirement("R5").acceptance_criteria) == 2
    # a second suggestion made against the old text still applies (its diff is re-located)
    specgpt.accept(by_req["R7"].id, "grace")
    doc = parse_spec(SPEC, path.read_text())
    assert doc.requirement("R5").acceptance_criteria and doc.requirement("R7").acceptance_criteria
    accepted = suggestion_store.list_suggestions(specgpt.sessions, SPEC, status="accepted")
    assert {s.decided_by for s in accepted} == {"grace"} and all(s.decided_at for s in accepted)
    with pytest.raises(ReviewError, match="already accepted"):
        specgpt.accept(by_req["R5"].id, "grace")


def test_assistant_accept_refuses_a_diff_whose_context_is_gone(specgpt_home: Path) -> None:
    specgpt = SpecGPT()
    r8 = next(s for s in specgpt.suggest(SPEC, "ada") if s.requirement_id == "R8")
    path = specgpt_home / "specs" / SPEC
    path.write_text(path.read_text().replace("if possible", "when listed in the config"))
    with pytest.raises(ReviewError, match="regenerate the suggestion"):
        specgpt.accept(r8.id, "grace")
    conflicts = suggestion_store.list_suggestions(specgpt.sessions, SPEC, status="conflict")
    assert conflicts[0].id == r8.id
    assert "when listed in the config" in path.read_text()


def test_assistant_reject_needs_a_reason_and_feeds_the_rate(specgpt_home: Path) -> None:
    specgpt = SpecGPT()
    first, second, third, *_ = specgpt.suggest(SPEC, "ada")
    with pytest.raises(ReviewError, match="needs a reason"):
        specgpt.reject(first.id, "grace", "  ")
    specgpt.reject(first.id, "grace", "criteria too generic")
    specgpt.reject(second.id, "grace", "duplicate of R4")
    specgpt.accept(third.id, "grace")
    rejected = suggestion_store.list_suggestions(specgpt.sessions, SPEC, status="rejected")
    assert {s.reason for s in rejected} == {"criteria too generic", "duplicate of R4"}
    (rate,) = feedback.acceptance_rates(specgpt.sessions)
    assert (rate.feature, rate.template) == ("suggestion", "suggest.en.v1")
    assert (rate.accepted, rate.rejected) == (1, 2) and rate.rate == pytest.approx(1 / 3)
    assert rate.pending >= 1


def test_assistant_accept_never_writes_outside_the_workspace(specgpt_home: Path) -> None:
    specgpt = SpecGPT()
    suggestion = specgpt.suggest(SPEC, "ada")[0]
    from agentops_pipelines.assistant.tables import SuggestionRow

    with specgpt.sessions.begin() as session:
        session.get(SuggestionRow, suggestion.id).spec_id = "../../outside.md"
    with pytest.raises(ReviewError, match="outside the spec workspace"):
        specgpt.accept(suggestion.id, "grace")
