"""All citations of a repository's tests, resolved against all of its specs: the one entry
point tracing, the CLI and the benchmark share."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.qa.catalogue import Catalogue, build_catalogue
from agentops_pipelines.qa.citations import Citation, resolve_citations
from agentops_pipelines.qa.discover import test_files
from agentops_pipelines.qa.test_contexts import contexts_of


def repo_citations(
    tests_root: Path, catalogue: Catalogue | None = None
) -> tuple[Catalogue, list[Citation]]:
    """Citations in the test files under `tests_root`, against the specs the repository holds
    (or the catalogue given, when the specs live elsewhere)."""
    catalogue = catalogue or build_catalogue(tests_root)
    files = test_files(tests_root)
    stamp = (
        catalogue.root,
        tuple(s.key + s.path for s in catalogue.specs),
        str(tests_root),
        tuple((str(p), p.stat().st_mtime_ns) for p in files),
    )
    if stamp not in _CACHE:
        contexts = [c for path in files for c in contexts_of(path)]
        _CACHE.clear()  # one repository state at a time: whole-repo runs ask for it per spec
        _CACHE[stamp] = resolve_citations(contexts, catalogue, tests_root)
    return catalogue, _CACHE[stamp]


_CACHE: dict[tuple, list[Citation]] = {}
