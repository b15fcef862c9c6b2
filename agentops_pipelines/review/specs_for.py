"""The specs a linked repository implements: the spec source's specs its `implements` glob
matches, plus the specs committed in the repository itself under its `spec_root`."""

from __future__ import annotations

import fnmatch
from pathlib import Path

from agentops_pipelines.gitops.links.repo_links import RepoLink
from agentops_pipelines.specs.models import SpecDocument
from agentops_pipelines.specs.parsing import decode_spec, parse_spec
from agentops_pipelines.specs.source import SpecFolder


def _parse(key: str, data: bytes) -> SpecDocument | None:
    try:
        return parse_spec(key, decode_spec(key, data))
    except ValueError:
        return None  # a spec that does not parse is reported by its own ingest, not here


def specs_for_link(link: RepoLink, source: SpecFolder | None, head_dir: Path) -> list[SpecDocument]:
    found: dict[str, SpecDocument] = {}
    if source is not None and link.implements and source.root.is_dir():
        for spec_file in source.scan():
            if fnmatch.fnmatchcase(spec_file.key, link.implements):
                doc = _parse(spec_file.key, source.read_bytes(spec_file.key))
                if doc is not None:
                    found[spec_file.key] = doc
    if link.spec_root and (head_dir / link.spec_root).is_dir():
        folder = SpecFolder(head_dir / link.spec_root, include=link.spec_globs)
        for spec_file in folder.scan():
            key = f"{link.spec_root.strip('/')}/{spec_file.key}"
            doc = _parse(key, folder.read_bytes(spec_file.key))
            if doc is not None and doc.requirements:
                found.setdefault(key, doc)
    return [found[k] for k in sorted(found)]
