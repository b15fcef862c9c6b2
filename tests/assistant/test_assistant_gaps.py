"""The deliberate gaps of the sample specs (examples/README.md) are found; clean specs stay
free of structural gaps."""

from __future__ import annotations

import pytest

from agentops_pipelines.assistant.gaps import spec_gaps
from agentops_pipelines.settings import BUNDLED_SPECS
from agentops_pipelines.specs.parsing.parse import parse_spec

PLANTED_SPECS = {
    "billing-invoices/spec.md",
    "account-settings-page/spec.md",
    "file-upload-service/requirements.md",
    "product-search/spec.md",
    "log-search-cli/spec.md",
}
ALL_SPECS = sorted(p.relative_to(BUNDLED_SPECS).as_posix() for p in BUNDLED_SPECS.glob("*/*.md"))


def gaps_of(spec_id: str):
    text = (BUNDLED_SPECS / spec_id).read_text(encoding="utf-8")
    return spec_gaps(parse_spec(spec_id, text), text)


def has(gaps, kind: str, requirement: str | None = None, *words: str) -> bool:
    for gap in gaps:
        if gap.kind != kind or (requirement is not None and gap.requirement_id != requirement):
            continue
        found = {w.lower() for f in gap.findings for w in f.trigger_words}
        if all(w in found or w in gap.message.lower() for w in words):
            return True
    return False


def title_id(spec_id: str, title: str) -> str:
    doc = parse_spec(spec_id, (BUNDLED_SPECS / spec_id).read_text(encoding="utf-8"))
    return next(r.id for r in doc.requirements if r.title and title in r.title)


def test_assistant_gaps_billing_invoices() -> None:
    gaps = gaps_of("billing-invoices/spec.md")
    assert has(gaps, "unresolved_clarification", "FR-006")
    assert has(gaps, "unresolved_clarification", "FR-009")


def test_assistant_gaps_account_settings_page() -> None:
    gaps = gaps_of("account-settings-page/spec.md")
    assert has(gaps, "missing_acceptance_criteria", "US-3")
    assert has(gaps, "ambiguity", "US-3", "etc.", "user-friendly")
    assert has(gaps, "ambiguity", "FR-005", "fast", "user-friendly")
    assert has(gaps, "unresolved_clarification", "FR-007")
    assert has(gaps, "unresolved_clarification", "FR-008")
    assert has(gaps, "ambiguity", "FR-009", "as appropriate", "should")
    assert has(gaps, "unmeasurable_nfr", "SC-002", "easy to use")
    assert has(gaps, "ambiguity", None, "edge cases", "as appropriate")


def test_assistant_gaps_file_upload_service() -> None:
    gaps = gaps_of("file-upload-service/requirements.md")
    assert has(gaps, "ambiguity", "REQ-3", "approximately")
    assert has(gaps, "missing_acceptance_criteria", "REQ-4")
    assert has(gaps, "ambiguity", "REQ-4", "and/or")
    assert has(gaps, "ambiguity", "REQ-5", "if possible")
    assert has(gaps, "ambiguity", "REQ-6", "as appropriate", "minimize")
    assert has(gaps, "unmeasurable_nfr", "REQ-7", "scalable", "highly available", "fast")
    assert has(gaps, "missing_security")


def test_assistant_gaps_product_search() -> None:
    spec = "product-search/spec.md"
    gaps = gaps_of(spec)
    assert has(gaps, "ambiguity", title_id(spec, "Filters"), "etc.")
    assert has(gaps, "ambiguity", title_id(spec, "Suggestions"), "it", "fast")
    sorting = title_id(spec, "Sorting")
    assert has(gaps, "missing_acceptance_criteria", sorting)
    assert has(gaps, "ambiguity", sorting, "support", "and/or")
    relevance = title_id(spec, "Relevance")
    assert has(gaps, "missing_acceptance_criteria", relevance)
    assert has(gaps, "ambiguity", relevance, "relevant", "as appropriate")
    performance = title_id(spec, "Performance")
    assert has(gaps, "unmeasurable_nfr", performance, "fast", "scalable")
    assert has(gaps, "ambiguity", performance, "without issues", "keeps working")
    assert has(gaps, "missing_error_handling")


def test_assistant_gaps_log_search_cli() -> None:
    gaps = gaps_of("log-search-cli/spec.md")
    for req in ("R5", "R7", "R8"):
        assert has(gaps, "missing_acceptance_criteria", req)
    assert has(gaps, "ambiguity", "R5", "support")
    assert has(gaps, "ambiguity", "R7", "easy to use", "user-friendly")
    assert has(gaps, "ambiguity", "R8", "if possible")
    assert has(gaps, "ambiguity", "R9", "it", "handle")
    assert has(gaps, "unmeasurable_nfr", "NFR-1", "fast", "big", "minimize")
    assert has(gaps, "ambiguity", "NFR-2", "support", "and/or")
    assert has(gaps, "ambiguity", "NFR-3", "approximately")
    assert has(gaps, "missing_error_handling")


@pytest.mark.parametrize("spec_id", sorted(set(ALL_SPECS) - PLANTED_SPECS))
def test_assistant_gaps_clean_specs_have_no_structural_gaps(spec_id: str) -> None:
    structural = [g for g in gaps_of(spec_id) if g.kind != "ambiguity"]
    assert structural == [], [g.message for g in structural]
