"""Spec discovery by layout on real repositories (../shared/data), and `.agentops.yml` globs."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.repos.settings import RepoSettingsError, load_repo_settings
from agentops_pipelines.specs.layout import skipped_summary
from agentops_pipelines.specs.parsing import parse_spec
from agentops_pipelines.specs.source import SpecFolder

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
KIRO = SHARED / "repos" / "kiro-handbook-generator"
SPECKIT = SHARED / "repos" / "speckit-community-mgmt"
OPENSPEC = SHARED / "specs" / "openspec"
pytestmark = pytest.mark.skipif(not KIRO.is_dir(), reason="../shared/data/repos is not present")


def _reasons(discovery) -> dict[str, str]:
    return {s.key: s.reason for s in discovery.skipped}


def test_kiro_hidden_spec_folder_found_with_companions():
    files, discovery = SpecFolder(KIRO).discover()
    keys = [f.key for f in files]
    assert len(keys) == 14
    assert all(k.startswith(".kiro/specs/") and k.endswith("/requirements.md") for k in keys)
    entry = next(e for e in discovery.specs if e.feature == ".kiro/specs/handbook-generator")
    assert entry.layout == "kiro"
    assert sorted(Path(c).name for c in entry.companions) == ["design.md", "tasks.md"]
    reasons = _reasons(discovery)
    assert reasons[".kiro/specs/handbook-generator/tasks.md"].startswith("companion")
    assert reasons[".kiro/steering/" + _first_steering()].startswith("Kiro steering")
    assert "docs" in {k.split("/")[0] for k in reasons}  # loose markdown is skipped, with a reason


def _first_steering() -> str:
    return sorted(p.name for p in (KIRO / ".kiro" / "steering").glob("*.md"))[0]


def test_speckit_only_feature_specs_companions_never_specs():
    files, discovery = SpecFolder(SPECKIT).discover()
    assert len(files) == 11
    reasons = _reasons(discovery)
    for name in ("plan.md", "tasks.md", "research.md", "data-model.md", "quickstart.md"):
        assert reasons[f"specs/001-event-discovery-rsvp/{name}"].startswith("companion")
    assert reasons["specs/constitution.md"].startswith("project constitution")
    # feature 003 keeps a stub spec.md pointing at the flat file: the real text is read
    assert "specs/003-recurring-multiday.md" in {f.key for f in files}
    assert reasons["specs/003-recurring-multiday/spec.md"].startswith("duplicate")
    assert "companion" in (skipped_summary(discovery) or "")


def test_speckit_specs_folder_as_root_classifies_the_same():
    files, _ = SpecFolder(SPECKIT / "specs").discover()
    assert len(files) == 11 and "001-event-discovery-rsvp/spec.md" in {f.key for f in files}


def test_openspec_capabilities_and_change_deltas(tmp_path):
    (tmp_path / "openspec" / "specs").mkdir(parents=True)
    for cap in ("cli-validate", "cli-archive"):
        target = tmp_path / "openspec" / "specs" / cap
        target.mkdir()
        (target / "spec.md").write_text((OPENSPEC / "specs" / cap / "spec.md").read_text())
    change = tmp_path / "openspec" / "changes" / "archive" / "2025-01-01-add-x"
    (change / "specs" / "cli-validate").mkdir(parents=True)
    (change / "specs" / "cli-validate" / "spec.md").write_text("## ADDED Requirements\n")
    (change / "proposal.md").write_text("# Why\n")
    (tmp_path / "openspec" / "project.md").write_text("# Project\n")
    files, discovery = SpecFolder(tmp_path).discover()
    assert sorted(f.key for f in files) == [
        "openspec/changes/archive/2025-01-01-add-x/specs/cli-validate/spec.md",
        "openspec/specs/cli-archive/spec.md",
        "openspec/specs/cli-validate/spec.md",
    ]
    reasons = _reasons(discovery)
    assert reasons["openspec/changes/archive/2025-01-01-add-x/proposal.md"].startswith("companion")
    assert reasons["openspec/project.md"].startswith("OpenSpec project file")


def test_agentops_yml_include_and_exclude(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "auth.md").write_text("# Auth\n\n- The system SHALL log in users.\n")
    (tmp_path / "specs" / "001-a").mkdir(parents=True)
    (tmp_path / "specs" / "001-a" / "spec.md").write_text("# A\n\n- **FR-001**: System MUST a.\n")
    (tmp_path / "specs" / "002-b").mkdir(parents=True)
    (tmp_path / "specs" / "002-b" / "spec.md").write_text("# B\n\n- **FR-001**: System MUST b.\n")
    assert [f.key for f in SpecFolder(tmp_path).scan()] == [
        "specs/001-a/spec.md",
        "specs/002-b/spec.md",
    ]
    (tmp_path / ".agentops.yml").write_text(
        "specs:\n  include: ['docs/*.md', 'specs/*/spec.md']\n  exclude: ['specs/002-*/**']\n"
    )
    files, discovery = SpecFolder(tmp_path).discover()
    assert [f.key for f in files] == ["docs/auth.md", "specs/001-a/spec.md"]
    assert _reasons(discovery)["specs/002-b/spec.md"] == "excluded: by specs.exclude"
    # the globs are relative to the repository root, also when the scan starts lower down
    assert [f.key for f in SpecFolder(tmp_path / "specs").scan()] == ["001-a/spec.md"]


def test_settings_errors_name_the_key(tmp_path):
    path = tmp_path / ".agentops.yml"
    path.write_text("specs:\n  includes: ['x']\n")
    with pytest.raises(RepoSettingsError, match=r"unknown key 'specs.includes'.*include"):
        load_repo_settings(path)
    path.write_text("specs:\n  exclude: 3\n")
    with pytest.raises(RepoSettingsError, match=r"key 'specs.exclude'"):
        load_repo_settings(path)


def test_speckit_fr_tables_parsed():
    path = SPECKIT / "specs" / "001-event-discovery-rsvp" / "spec.md"
    doc = parse_spec("001/spec.md", path.read_text())
    assert doc.format.value == "spec-kit"
    ids = [r.id for r in doc.requirements]
    assert [i for i in ids if i.startswith("FR-")][:3] == ["FR-01", "FR-02", "FR-03"]
    assert "SC-01" in ids and "US-1" in ids
    fr6 = doc.requirement("FR-06")
    assert fr6.priority == "P0" and "capacity" in fr6.text


def test_kiro_german_and_numbered_headings_parsed():
    german = KIRO / ".kiro" / "specs" / "handbook-generator" / "requirements.md"
    doc = parse_spec("hg", german.read_text())
    assert doc.format.value == "kiro" and len(doc.requirements) == 13
    assert [c.id for c in doc.requirement("REQ-7").acceptance_criteria][0] == "REQ-7.AC-1"
    numbered = KIRO / ".kiro/specs/config-separation-and-metadata-unification/requirements.md"
    doc = parse_spec("cs", numbered.read_text())
    assert doc.format.value == "kiro" and doc.requirement("REQ-3").acceptance_criteria
