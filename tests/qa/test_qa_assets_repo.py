"""A linked repository through the Dagster assets: its spec folder is the spec source, its own
environment (uv, its dependencies) runs its tests, and completion comes from those runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import dagster as dg
import pytest

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.defs.assets.qa import TestResultsConfig, qa_scores
from agentops_pipelines.defs.assets.qa import test_results as results_asset
from agentops_pipelines.defs.assets.specs import raw_spec, spec_document
from agentops_pipelines.qa.results import TestResults
from agentops_pipelines.qa.score_models import QAScores
from agentops_pipelines.qa.whole_repo import discover_specs
from agentops_pipelines.resources.artefact_io import PydanticArtefactIOManager
from agentops_pipelines.resources.spec_source import ArtefactRoot, SpecSource

REQUIREMENTS = """\
# Requirements Document

## Requirements

### Requirement 1

**User Story:** As a reader, I want headers parsed, so that I see the title.

#### Acceptance Criteria

1. WHEN a file has a header THEN the System SHALL return its title
2. WHEN a file has no header THEN the System SHALL return an empty title

### Requirement 2

**User Story:** As a reader, I want sections counted, so that I know the size.

#### Acceptance Criteria

1. WHEN a file has sections THEN the System SHALL count them
"""

FILES = {
    ".kiro/specs/headers/requirements.md": REQUIREMENTS,
    ".kiro/specs/headers/tasks.md": "- [x] 1. Parse headers\n  - _Requirements: 1.1, 1.2_\n",
    "pyproject.toml": """\
        [project]
        name = "headers"
        version = "0.1.0"
        requires-python = ">=3.8"
        dependencies = ["pyphen"]  # not in AgentOps' own environment
        [tool.pytest.ini_options]
        testpaths = ["tests"]
        """,
    "headers.py": """\
        import pyphen


        def title(text):
            first = text.splitlines()[0] if text else ""
            return first.lstrip("# ") if first.startswith("#") else ""


        def sections(text):
            assert pyphen.LANGUAGES
            return sum(line.startswith("[") for line in text.splitlines())
        """,
    "tests/test_headers.py": """\
        from headers import sections, title


        def test_title():
            \"\"\"Validates: Requirements 1.1\"\"\"
            assert title("# Hello") == "Hello"


        def test_no_title():
            \"\"\"Validates: Requirements 1.2\"\"\"
            assert title("plain") == ""


        def test_sections():
            \"\"\"Validates: Requirements 2.1\"\"\"
            assert sections("[a]\\n[b]\\n") == 3  # real drift: the code is right, the test not
        """,
}


@pytest.fixture
def repo(tmp_path: Path, agentops_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "headers-repo"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    links = tmp_path / "config" / "code_links.yaml"
    links.parent.mkdir()
    links.write_text(f"links:\n  - spec: '*'\n    repo: {root}\n")
    monkeypatch.setenv("AGENTOPS_CODE_LINKS", str(links))
    monkeypatch.setenv("AGENTOPS_ENVS", str(tmp_path / "envs"))
    return root


def _materialize(repo: Path, artefacts: Path, instance: dg.DagsterInstance, key: str, **cfg):
    return dg.materialize(
        [raw_spec, spec_document, results_asset, qa_scores],
        partition_key=key,
        instance=instance,
        resources={
            "io_manager": PydanticArtefactIOManager(root=str(artefacts)),
            "artefacts": ArtefactRoot(path=str(artefacts)),
            "spec_source": SpecSource(path=str(repo)),
        },
        run_config=dg.RunConfig(ops={"test_results": TestResultsConfig(**cfg)}),  # type: ignore[arg-type]
        raise_on_error=True,
    )


def test_linked_repo_runs_in_its_environment_through_the_assets(
    repo: Path, agentops_home: Path
) -> None:
    (key,) = discover_specs(repo)
    assert key == ".kiro/specs/headers/requirements.md"
    artefacts = agentops_home / "artefacts"
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", [key])
    result = _materialize(repo, artefacts, instance, key)
    assert result.success
    store = ArtefactStore(artefacts)
    results = store.read_model("test_results", key, TestResults)
    assert results is not None
    # The repository's own environment: its dependency imported, a verdict per test.
    assert [e["kind"] for e in results.environments] == ["python"]
    assert {r.test_id.split("::")[-1]: r.status for r in results.records} == {
        "test_title": "passed", "test_no_title": "passed", "test_sections": "failed",
    }  # fmt: skip
    assert all(r.env_digest and r.command and "pytest" in r.command for r in results.records)
    scores = store.read_model("qa_scores", key, QAScores)
    assert scores is not None
    statuses = {r.id: r.status for r in scores.requirements}
    assert statuses == {"REQ-1": "passing", "REQ-2": "failing"}, statuses  # criteria roll up
    assert 0 < scores.completion_score < 1
    meta = result.asset_materializations_for_node("test_results")[0].metadata
    assert meta["environments"].value[0]["kind"] == "python"

    # A second materialization of the unchanged repo reuses every verdict.
    _materialize(repo, artefacts, instance, key)
    again = store.read_model("test_results", key, TestResults)
    assert again is not None and again.records and all(r.reused for r in again.records)


def test_old_run_path_still_available_and_lacks_the_dependencies(
    repo: Path, agentops_home: Path
) -> None:
    """`environments: false` is the system-pytest run: the repo's import fails there, which is
    the defect the environment path exists for (no verdicts, a named problem)."""
    key = ".kiro/specs/headers/requirements.md"
    artefacts = agentops_home / "artefacts"
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", [key])
    _materialize(repo, artefacts, instance, key, environments=False)
    results = ArtefactStore(artefacts).read_model("test_results", key, TestResults)
    assert results is not None and not results.environments
    assert not any(r.status == "passed" for r in results.records)
