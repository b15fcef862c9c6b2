"""The links of one spec when the repository holds several: its share of the repository's
resolved citations, and the citations that stay ambiguous between it and another feature.

Without a catalogue entry for the spec (a spec outside the repository's layouts), QA keeps the
old single-spec matching of known IDs.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from agentops_pipelines.qa.catalogue import Catalogue, CatalogueSpec, build_catalogue
from agentops_pipelines.qa.citations import Citation
from agentops_pipelines.qa.evidence_links import LinkSource, TraceLink
from agentops_pipelines.qa.repo_citations import repo_citations
from agentops_pipelines.qa.score_models import AmbiguousCitation
from agentops_pipelines.specs.models import SpecDocument


class CitationScope(BaseModel):
    catalogue: Catalogue
    spec: CatalogueSpec


def scope_for(doc: SpecDocument, repo: Path | None) -> CitationScope | None:
    """Find the spec in its repository's catalogue (by file path); None when it is not there."""
    if doc.source is None:
        return None
    spec_path = Path(doc.source.root) / doc.source.path
    for root in (repo, Path(doc.source.root)):
        if root is None or not root.is_dir():
            continue
        try:
            catalogue = build_catalogue(root)
        except (OSError, ValueError):
            continue
        spec = catalogue.spec_at(spec_path)
        if spec is not None:
            return CitationScope(catalogue=catalogue, spec=spec)
    return None


def scoped_citations(scope: CitationScope, tests_root: Path) -> list[Citation]:
    return repo_citations(tests_root, scope.catalogue)[1]


def links_for(scope: CitationScope, citations: list[Citation]) -> list[TraceLink]:
    return [
        TraceLink(
            requirement_id=c.requirement_id,
            test_id=c.test_id,
            source=LinkSource(
                kind=c.kind,  # type: ignore[arg-type]
                file=c.file,
                line=c.line,
                evidence=c.evidence,
                cited=c.cited,
            ),
        )
        for c in citations
        if c.status == "linked" and c.spec_key == scope.spec.key and c.requirement_id
    ]


def ambiguous_for(scope: CitationScope, citations: list[Citation]) -> list[AmbiguousCitation]:
    """Citations that could mean this spec's requirement or another feature's: listed, unlinked."""
    mine = f"{scope.spec.key}#"
    found: dict[tuple[str, int, str], AmbiguousCitation] = {}
    for c in citations:
        if c.status == "ambiguous" and any(x.startswith(mine) for x in c.candidates):
            found.setdefault(
                (c.test_id, c.line, c.value),
                AmbiguousCitation(
                    test_id=c.test_id,
                    file=c.file,
                    line=c.line,
                    cited=c.cited,
                    value=c.value,
                    candidates=c.candidates,
                ),
            )
    return list(found.values())
