"""The pure helpers behind the Streamlit pages, and the artefact loader, without Streamlit."""

from __future__ import annotations

from pathlib import Path

from ui_seed import (
    REQUIREMENT_WITHOUT_CRITERIA,
    SEEDED_TITLES,
    SPEC_WITHOUT_CRITERIA,
    seed_artefacts,
    seeded_documents,
)

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.specs.checks import CheckOutcome, run_all_checks
from agentops_pipelines.specs.models import RequirementDiff
from streamlit_app import views
from streamlit_app.data import read_spec_documents


def _outcome(passed: bool, severity: str = "WARN", **metadata: object) -> CheckOutcome:
    return CheckOutcome(
        name="c", passed=passed, severity=severity, description="d", metadata=metadata
    )


def _docs_by_id() -> dict[str, object]:
    return {d.spec_id: d for d in seeded_documents()}


def test_check_status_maps_severity() -> None:
    assert views.check_status(_outcome(True, "ERROR")) == "pass"
    assert views.check_status(_outcome(False, "ERROR")) == "fail"
    assert views.check_status(_outcome(False, "WARN")) == "warn"


def test_check_summary_counts_failures_and_warnings() -> None:
    assert views.check_summary([]) == "no checks"
    assert views.check_summary([_outcome(True), _outcome(True)]) == "all 2 passed"
    mixed = [_outcome(False, "ERROR"), _outcome(False), _outcome(False), _outcome(True)]
    assert views.check_summary(mixed) == "1 failed, 2 warnings"
    assert views.check_summary([_outcome(False)]) == "1 warning"


def test_check_view_lists_offending_ids_only_when_failed() -> None:
    failed = views.check_view(_outcome(False, missing=["REQ-2", "REQ-5"], missing_count=2))
    assert failed.offenders == ["REQ-2", "REQ-5"]
    assert "REQ-2, REQ-5" in failed.message and failed.message.startswith("**WARN**")
    assert views.check_view(_outcome(True, missing=["REQ-2"])).offenders == []


def test_check_views_of_real_checks_name_the_requirement() -> None:
    doc = _docs_by_id()[SPEC_WITHOUT_CRITERIA]
    by_name = {v.name: v for v in map(views.check_view, run_all_checks(doc))}
    assert by_name["spec_parses"].status == "pass"
    assert by_name["acceptance_criteria_present"].offenders == [REQUIREMENT_WITHOUT_CRITERIA]
    assert by_name["clarifications_resolved"].offenders == [REQUIREMENT_WITHOUT_CRITERIA]


def test_spec_row_counts_and_source() -> None:
    doc = _docs_by_id()["billing-invoices/spec.md"]
    row = views.spec_row(doc, run_all_checks(doc))
    assert row == {
        "spec": "billing-invoices/spec.md",
        "format": "spec-kit",
        "title": "Billing invoices",
        "requirements": 3,
        "criteria": 4,
        "checks": "all 3 passed",
        "commit": "01234567",
        "author": "Ada",
    }
    no_source = _docs_by_id()[SPEC_WITHOUT_CRITERIA]
    row = views.spec_row(no_source, run_all_checks(no_source))
    assert (row["commit"], row["author"], row["checks"]) == (None, None, "2 warnings")


def test_requirement_rows_and_labels() -> None:
    doc = _docs_by_id()[SPEC_WITHOUT_CRITERIA]
    rows = views.requirement_rows(doc)
    assert [(r["id"], r["priority"], r["criteria"], r["clarifications"]) for r in rows] == [
        ("REQ-1", "P1", 1, 0),
        (REQUIREMENT_WITHOUT_CRITERIA, "P2", 0, 1),
    ]
    untitled = doc.requirements[0].model_copy(update={"title": None, "text": "x" * 200})
    label = views.requirement_label(untitled)
    assert len(label) == 90 and label.endswith("…")


def test_filter_by_format() -> None:
    docs = seeded_documents()
    assert [d.title for d in views.filter_by_format(docs, ["kiro"])] == ["Team invitations"]
    assert views.filter_by_format(docs, []) == []


def test_diff_lines() -> None:
    assert "First version" in views.diff_lines(None)[0]
    assert views.diff_lines(RequirementDiff()) == [
        "No requirement changed in the last materialisation."
    ]
    assert views.diff_lines(RequirementDiff(added=["A", "B"], removed=["C"])) == [
        "Added (2): A, B",
        "Removed (1): C",
    ]


def test_source_caption() -> None:
    docs = _docs_by_id()
    assert views.source_caption(docs["billing-invoices/spec.md"]) == (
        "`billing-invoices/spec.md` · spec-kit · commit 01234567 by Ada"
    )
    assert views.source_caption(docs[SPEC_WITHOUT_CRITERIA]).endswith("· kiro")


def test_read_spec_documents_reads_every_artefact(tmp_path: Path) -> None:
    root = seed_artefacts(tmp_path / "artefacts")
    loaded = read_spec_documents(str(root))
    assert sorted(d.title for d in loaded.documents) == sorted(SEEDED_TITLES)
    assert loaded.unreadable == []


def test_read_spec_documents_reports_bad_files_and_keeps_going(tmp_path: Path) -> None:
    root = seed_artefacts(tmp_path / "artefacts")
    ArtefactStore(root).write_text("spec_document", "old/spec.md", '{"spec_id": "old/spec.md"}')
    loaded = read_spec_documents(str(root))
    assert len(loaded.documents) == len(SEEDED_TITLES)
    assert len(loaded.unreadable) == 1
    assert "old%2Fspec.md.json" in loaded.unreadable[0]
    assert "agentops ingest" in loaded.unreadable[0]


def test_read_spec_documents_on_missing_root_is_empty(tmp_path: Path) -> None:
    loaded = read_spec_documents(str(tmp_path / "nowhere"))
    assert loaded.documents == [] and loaded.unreadable == []
