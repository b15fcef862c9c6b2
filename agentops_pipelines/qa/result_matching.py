"""Tie the claims of `evidence_links.link_tests` to the rows of `test_results`.

A claim names a test the way its source does (a Python file path and function, a JS test title,
a JUnit case id); a result names it the way the reporter did. Python ids map exactly
(tests/test_a.py::TestX::test_b == classname tests.test_a.TestX + name test_b); other
languages match by title, the way jest and mocha put the test title into the case name.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from agentops_pipelines.qa.discover import test_files
from agentops_pipelines.qa.evidence_links import TraceLink, link_tests
from agentops_pipelines.qa.junit import JUnitFormatError, parse_junit
from agentops_pipelines.qa.results import TestRecord, TestResults, dotted_key
from agentops_pipelines.qa.run_memo import memo

if TYPE_CHECKING:
    from agentops_pipelines.qa.scoped_links import CitationScope

_KIND_RANK = {"marker": 0, "junit_property": 1, "name": 2, "docstring": 3, "comment": 4}


class ResolvedLink(BaseModel):
    requirement_id: str
    test_id: str  # canonical: the matched result's key, else the claim's own id
    origin: str
    link: TraceLink
    records: list[TestRecord]


def resolve_links(
    requirement_ids: list[str], results: TestResults, scope: CitationScope | None = None
) -> list[ResolvedLink]:
    """Every requirement->test claim with the results it matched, deduplicated per test.

    With a `scope` (the spec is one of several in its repository), the repository's tests are
    read through the repo-wide citation resolver, so `FR-025` or `7.1` goes to the feature the
    evidence names; generated skeletons (written for this spec) keep the direct ID match.
    """
    resolved: list[ResolvedLink] = []
    generated = set(results.generated_files)
    for root_text in results.roots.values():
        root = Path(root_text)
        for link in _claims(requirement_ids, root, generated, scope):
            origin = "generated" if _relative(link.source.file, root) in generated else "repo"
            pool = [r for r in results.records if r.origin in (origin, "ci")]
            records = _match_file_link(link, root, pool)
            resolved.append(_resolved(link, origin, records))
    for evidence in sorted({r.evidence for r in results.records}):
        try:
            report = parse_junit(Path(evidence))
        except JUnitFormatError:
            continue
        pool = [r for r in results.records if r.evidence == evidence]
        for link in link_tests(requirement_ids, report):
            records = [r for r in pool if r.test_id == link.test_id]
            resolved.append(_resolved(link, pool[0].origin if pool else "ci", records))
    return _dedupe(resolved)


def _claims(
    requirement_ids: list[str], root: Path, generated: set[str], scope: CitationScope | None
) -> list[TraceLink]:
    files = test_files(root)
    if scope is None:
        return link_tests(requirement_ids, *files)
    from agentops_pipelines.qa.scoped_links import links_for, scoped_citations

    mine = [p for p in files if _relative(str(p), root) in generated]
    derived = [r for r in requirement_ids if _is_derived(r)]
    links = links_for(scope, scoped_citations(scope, root))
    links = [ln for ln in links if _relative(ln.source.file, root) not in generated]
    links += link_tests(requirement_ids, *mine) if mine else []
    others = [p for p in files if p not in mine]
    return links + (link_tests(derived, *others) if derived and others else [])


def _is_derived(requirement_id: str) -> bool:
    """Hash-derived IDs (REQ-9c2e41a0) are unique to their spec: direct matching is safe."""
    from agentops_pipelines.qa.citation_text import id_key

    return id_key(requirement_id) is None


def _resolved(link: TraceLink, origin: str, records: list[TestRecord]) -> ResolvedLink:
    canonical = f"{records[0].origin}:{records[0].key}" if records else link.test_id
    return ResolvedLink(
        requirement_id=link.requirement_id,
        test_id=canonical,
        origin=records[0].origin if records else origin,
        link=link,
        records=records,
    )


def _relative(path: str, root: Path) -> str:
    return memo("relative", (path, str(root)), lambda: _resolved_relative(path, root))


def _resolved_relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path


def _match_file_link(link: TraceLink, root: Path, pool: list[TestRecord]) -> list[TestRecord]:
    path_text, _, test_name = link.test_id.partition("::")
    path = Path(path_text)
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        relative = path
    if path.suffix == ".py":
        module = relative.with_suffix("").as_posix().replace("/", ".")
        if not test_name:  # a file-level comment: every test of the file
            return [r for r in pool if r.key.startswith(module + ".")]
        wanted = dotted_key(module, test_name.replace("::", "."))
        return [r for r in pool if r.key == wanted]
    if not test_name:
        return []
    return [r for r in pool if _title_matches(r, test_name)]


def _title_matches(record: TestRecord, title: str) -> bool:
    """jest-junit names a case '<describe> <title>'; mocha uses the full title too."""
    name = record.name.strip()
    return name == title or name.endswith(" " + title) or record.test_id.endswith(title)


def _dedupe(links: Iterable[ResolvedLink]) -> list[ResolvedLink]:
    """One entry per (requirement, test); the strongest evidence kind wins, results merge."""
    best: dict[tuple[str, str], ResolvedLink] = {}
    for item in links:
        key = (item.requirement_id, item.test_id)
        current = best.get(key)
        if current is None:
            best[key] = item
            continue
        merged = {(r.origin, r.test_id): r for r in current.records + item.records}
        keep = min(current, item, key=lambda x: _KIND_RANK.get(x.link.source.kind, 9))
        best[key] = keep.model_copy(update={"records": list(merged.values())})
    return list(best.values())


def aggregate_status(records: list[TestRecord]) -> str:
    """Several rows for one test (parameters, reruns in CI): any failure makes it fail."""
    statuses = {r.status for r in records}
    for status in ("error", "failed", "passed", "xfail", "skipped"):
        if status in statuses:
            return status
    return "not_run"
