"""All citations of a repository's tests, resolved against all of its specs: the one entry
point tracing, the CLI and the benchmark share."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.qa.catalogue import Catalogue, build_catalogue
from agentops_pipelines.qa.citations import Citation, resolve_citations
from agentops_pipelines.qa.discover import test_files
from agentops_pipelines.qa.test_contexts import test_contexts


def repo_citations(
    tests_root: Path, catalogue: Catalogue | None = None
) -> tuple[Catalogue, list[Citation]]:
    """Citations in the test files under `tests_root`, against the specs the repository holds
    (or the catalogue given, when the specs live elsewhere)."""
    catalogue = catalogue or build_catalogue(tests_root)
    contexts = [c for path in test_files(tests_root) for c in test_contexts(path)]
    return catalogue, resolve_citations(contexts, catalogue, tests_root)
