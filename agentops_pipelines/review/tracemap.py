"""Requirement <-> test claims of one checkout (base or head), with repo-relative test ids.

Built on `qa.evidence_links.link_tests` (markers, names, docstrings, comments). Acceptance
criterion IDs are linked too (a test may cite `REQ-3.AC-2`), and count for their requirement.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

from agentops_pipelines.qa.discover import test_files
from agentops_pipelines.qa.evidence_links import _IdMatcher, link_tests
from agentops_pipelines.specs.models import Requirement, SpecDocument


class RequirementRef(BaseModel):
    spec_id: str
    requirement: Requirement


def requirement_index(specs: list[SpecDocument]) -> dict[str, RequirementRef]:
    """Requirement ID -> requirement; the first spec wins when two specs share an ID."""
    out: dict[str, RequirementRef] = {}
    for spec in specs:
        for req in spec.requirements:
            out.setdefault(req.id, RequirementRef(spec_id=spec.spec_id, requirement=req))
    return out


def criterion_owner(reqs: dict[str, RequirementRef]) -> dict[str, str]:
    return {c.id: rid for rid, ref in reqs.items() for c in ref.requirement.acceptance_criteria}


class TraceMap(BaseModel):
    tests_of: dict[str, set[str]]  # requirement -> test ids
    criteria_tests: dict[str, set[str]]  # criterion -> test ids
    requirements_of: dict[str, set[str]]  # test id -> requirements

    def requirements_for(self, test_id: str) -> set[str]:
        """Exact test id, or every test of a file for a file-level claim."""
        found = set(self.requirements_of.get(test_id, set()))
        path = test_id.split("::", 1)[0]
        found |= self.requirements_of.get(path, set())
        return found


def _relative(test_id: str, root: Path) -> str:
    path, sep, rest = test_id.partition("::")
    with contextlib.suppress(ValueError):
        path = Path(path).resolve().relative_to(root.resolve()).as_posix()
    return f"{path}{sep}{rest}"


_CACHE: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
_CACHE_LIMIT = 20_000


def _file_links(root: Path, path: Path, ids: list[str], ids_key: str) -> list[tuple[str, str]]:
    """(requirement, repo-relative test id) claims of one file, cached by content: base and
    head share most test files, and many PRs share a base."""
    relative = path.relative_to(root).as_posix()
    key = (relative, hashlib.sha256(path.read_bytes()).hexdigest(), ids_key)
    if key not in _CACHE:
        if len(_CACHE) > _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[key] = [
            (link.requirement_id, _relative(link.test_id, root)) for link in link_tests(ids, path)
        ]
    return _CACHE[key]


def trace_map(root: Path, reqs: dict[str, RequirementRef]) -> TraceMap:
    owners = criterion_owner(reqs)
    ids = [*reqs, *owners]
    ids_key = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    root = Path(root).resolve()
    links = [
        pair
        for path in test_files(root)
        for pair in _file_links(root, path.resolve(), ids, ids_key)
    ]
    tests_of: dict[str, set[str]] = defaultdict(set)
    criteria: dict[str, set[str]] = defaultdict(set)
    reqs_of: dict[str, set[str]] = defaultdict(set)
    for linked_id, test_id in links:
        rid = owners.get(linked_id, linked_id)
        if linked_id in owners:
            criteria[linked_id].add(test_id)
        tests_of[rid].add(test_id)
        reqs_of[test_id].add(rid)
    return TraceMap(
        tests_of=dict(tests_of), criteria_tests=dict(criteria), requirements_of=dict(reqs_of)
    )


def cited_requirements(text: str, reqs: dict[str, RequirementRef]) -> list[str]:
    """Requirement IDs (or criterion IDs, as their requirement) written in a piece of code."""
    owners = criterion_owner(reqs)
    matcher = _IdMatcher([*reqs, *owners])
    return sorted({owners.get(rid, rid) for rid in matcher.find(text) if rid})
