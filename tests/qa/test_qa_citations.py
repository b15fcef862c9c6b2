"""Citation conventions on real repositories: Kiro criterion numbers, spec-kit IDs scoped to
their feature, OpenSpec scenario titles and spec paths, JS/TS test titles and comments."""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest

from agentops_pipelines.qa.citation_text import cited, feature_refs
from agentops_pipelines.qa.pipeline import evaluate, load_spec_file
from agentops_pipelines.qa.repo_citations import repo_citations
from agentops_pipelines.qa.test_contexts import contexts_of

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
KIRO = SHARED / "repos" / "kiro-handbook-generator"
SPECKIT = SHARED / "repos" / "speckit-community-mgmt"
OPENSPEC = SHARED / "specs" / "openspec" / "specs"
needs_shared = pytest.mark.skipif(not KIRO.is_dir(), reason="../shared/data is not present")


def test_citation_text_forms():
    values = [c.value for c in cited("**Validates: Requirements 7.1, 7.3 and 8.2**")]
    assert values == ["7.1", "7.3", "8.2"]
    assert [c.value for c in cited("_Requirements: 31.1-31.3_")] == ["31.1", "31.2", "31.3"]
    assert [c.value for c in cited("def test_fr_025_capacity(): # FR-003")] == ["FR-25", "FR-3"]
    assert [(c.kind, c.value) for c in cited("Scenario: Missing required sections")] == [
        ("title", "Missing required sections")
    ]
    assert feature_refs("Feature: cis-controls-integration, Property 6") == [
        "cis-controls-integration"
    ]
    assert feature_refs("see openspec/changes/archive/x/specs/cli/spec.md") == [
        "openspec/changes/archive/x/specs/cli"
    ]


@pytest.fixture(scope="module")
def kiro_citations():
    return repo_citations(KIRO.resolve())


@needs_shared
def test_kiro_criteria_belong_to_the_feature_named_around_them(kiro_citations):
    _, citations = kiro_citations
    file = str(KIRO.resolve() / "tests" / "test_cis_controls_integration.py")
    # class docstring "Validates: Requirements 2.3"; its tests say "Feature: cis-controls-..."
    at = [c for c in citations if c.file == file and c.line == 29 and c.value == "2.3"]
    assert at and {(c.status, c.spec_key, c.requirement_id) for c in at} == {
        ("linked", ".kiro/specs/cis-controls-integration/requirements.md", "REQ-2")
    }


@needs_shared
def test_kiro_criterion_only_one_feature_has(kiro_citations):
    _, citations = kiro_citations
    file = str(KIRO.resolve() / "tests" / "test_per_handbook_metadata.py")
    targets = {(c.spec_key, c.requirement_id) for c in citations if c.file == file}
    assert targets == {(".kiro/specs/template-system-extension/requirements.md", "REQ-26")}


@needs_shared
def test_no_written_citation_links_two_features(kiro_citations):
    _, citations = kiro_citations
    targets: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    for c in citations:
        if c.status == "linked":
            targets[(c.file, c.line, c.value)].add(c.spec_key or "")
    assert targets and all(len(specs) == 1 for specs in targets.values())
    ambiguous = [c for c in citations if c.status == "ambiguous"]
    assert all(len({x.split("#")[0] for x in c.candidates}) >= 2 for c in ambiguous)


@needs_shared
def test_design_property_expands_to_the_requirements_it_validates(kiro_citations):
    catalogue, citations = kiro_citations
    spec = catalogue.spec(".kiro/specs/handbook-generator/requirements.md")
    assert spec is not None and spec.properties["9"] == ["5.3"]
    via = [c for c in citations if c.cited.startswith("Property") and c.status == "linked"]
    assert via and all(c.cited.endswith("(design.md)") for c in via)


@needs_shared
def test_kiro_scores_come_from_criterion_citations(tmp_path):
    spec = KIRO / ".kiro" / "specs" / "cis-controls-integration" / "requirements.md"
    doc = load_spec_file(spec)
    _, scores = evaluate(doc, tmp_path, repo=KIRO.resolve(), run_tests=False)
    req = scores.requirement("REQ-2")
    assert req is not None and req.tests
    linked = {t.cited for t in req.tests}
    assert any(c and "2." in c for c in linked)
    assert all(t.link_evidence for t in req.tests)


@needs_shared
def test_speckit_js_header_comment_names_feature_and_stories():
    _, citations = repo_citations(SPECKIT.resolve())
    linked = {(c.spec_key, c.requirement_id) for c in citations if c.status == "linked"}
    assert linked == {
        ("specs/008-cross-platform-ui/spec.md", "US-1"),
        ("specs/008-cross-platform-ui/spec.md", "US-5"),
    }


def _speckit_repo(root: Path) -> None:
    for feature, text in (("003-rsvp", "capacity limit"), ("005-reviews", "review stars")):
        folder = root / "specs" / feature
        folder.mkdir(parents=True)
        (folder / "spec.md").write_text(
            f"# Feature {feature}\n\n## Requirements\n\n- **FR-025**: System MUST enforce {text}.\n"
        )
    (root / "specs" / "005-reviews" / "tasks.md").write_text(
        "- [X] T012 [US1] Review test in tests/unit/test_stars.py (FR-025)\n"
    )
    tests = root / "tests"
    (tests / "unit").mkdir(parents=True)
    (tests / "rsvp").mkdir()
    (tests / "test_neutral.py").write_text("def test_a():\n    '''FR-025'''\n")
    (tests / "rsvp" / "test_rsvp_flow.py").write_text("def test_b():\n    '''FR-025'''\n")
    (tests / "unit" / "test_stars.py").write_text("def test_c():\n    '''FR-025'''\n")
    (tests / "test_explicit.py").write_text("def test_d():\n    '''specs/005-reviews FR-025'''\n")


def test_speckit_ids_scoped_by_evidence_never_to_every_feature(tmp_path):
    _speckit_repo(tmp_path)
    _, citations = repo_citations(tmp_path)
    by_file = {Path(c.file).name: c for c in citations}
    assert by_file["test_neutral.py"].status == "ambiguous"
    assert len(by_file["test_neutral.py"].candidates) == 2
    assert (by_file["test_rsvp_flow.py"].spec_key, by_file["test_rsvp_flow.py"].evidence) == (
        "specs/003-rsvp/spec.md",
        "test path",
    )
    assert by_file["test_stars.py"].spec_key == "specs/005-reviews/spec.md"
    assert by_file["test_stars.py"].evidence == "named in tasks/plan"
    assert by_file["test_explicit.py"].spec_key == "specs/005-reviews/spec.md"
    assert by_file["test_explicit.py"].evidence == "feature reference"


def test_speckit_ambiguous_citation_listed_in_scores(tmp_path):
    _speckit_repo(tmp_path)
    doc = load_spec_file(tmp_path / "specs" / "003-rsvp" / "spec.md")
    _, scores = evaluate(doc, Path(tempfile.mkdtemp()), repo=tmp_path, run_tests=False)
    fr = scores.requirement("FR-025")
    assert fr is not None
    assert {Path(t.file).name for t in fr.tests} == {"test_rsvp_flow.py"}
    assert [Path(a.file).name for a in scores.ambiguous_citations] == ["test_neutral.py"]


@needs_shared
def test_openspec_scenario_titles_and_spec_paths(tmp_path):
    for cap in ("cli-validate", "cli-archive"):
        target = tmp_path / "openspec" / "specs" / cap
        target.mkdir(parents=True)
        shutil.copyfile(OPENSPEC / cap / "spec.md", target / "spec.md")
    archived = tmp_path / "openspec" / "changes" / "archive" / "2025-02-01-x" / "specs"
    (archived / "cli-validate").mkdir(parents=True)
    shutil.copyfile(OPENSPEC / "cli-validate" / "spec.md", archived / "cli-validate" / "spec.md")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_validate.py").write_text(
        "def test_no_deltas():\n"
        "    '''Scenario: No deltas found in change'''\n\n"
        "def test_missing_required_sections():\n    pass\n\n"
        "def test_archived():\n"
        "    '''openspec/changes/archive/2025-02-01-x/specs/cli-validate/spec.md\n"
        "    Scenario: Non-English change delta'''\n"
    )
    _, citations = repo_citations(tmp_path)
    by_test = {c.test_id.rsplit("::", 1)[-1]: c for c in citations if c.status == "linked"}
    assert by_test["test_no_deltas"].spec_key == "openspec/specs/cli-validate/spec.md"
    assert by_test["test_no_deltas"].evidence == "living spec"
    assert by_test["test_missing_required_sections"].kind == "name"
    assert by_test["test_archived"].spec_key.startswith("openspec/changes/archive/")
    assert not [c for c in citations if c.status == "ambiguous"]


def test_js_titles_and_comments_above_them(tmp_path):
    path = tmp_path / "cart.test.ts"
    path.write_text(
        "import { describe, it } from 'vitest';\n"
        "// Feature: checkout\n"
        "describe('Cart', () => {\n"
        "  // Validates: Requirements 1.2\n"
        "  it('adds an item', () => {\n"
        "    expect(1).toBe(1);\n"
        "  });\n"
        "  test.each([[1]])('FR-007 totals %i', () => {});\n"
        "});\n"
    )
    contexts = contexts_of(path)
    comment = next(c for c in contexts if "Requirements 1.2" in c.text)
    assert comment.test_id.endswith("::adds an item") and comment.line == 4
    assert any(c.test_id.endswith("::FR-007 totals %i") and c.kind == "name" for c in contexts)
    suite = [c for c in contexts if c.text.startswith("Cart")]
    assert {c.test_id.rsplit("::", 1)[-1] for c in suite} == {"adds an item", "FR-007 totals %i"}
