"""Every spec of a repository with what citations can be resolved against: its feature folder
and names, its requirement IDs (Kiro numbers, FR/SC/US IDs), requirement and scenario titles,
design-property map, and the files its companions (tasks.md, plan.md, design.md) name.

Built from the same discovery and parser as `agentops ingest`, once per repository state.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, Field

from agentops_pipelines.qa.citation_text import NUMBER_LIST, expand_range, id_key
from agentops_pipelines.qa.run_memo import memo
from agentops_pipelines.specs.ingest import build_document, load_raw_spec
from agentops_pipelines.specs.models import SpecDocument, SpecInputError
from agentops_pipelines.specs.parsing.ids import normalise
from agentops_pipelines.specs.source import SpecFolder

_KIRO_ID = re.compile(r"^REQ-(\d+)$")
_PROPERTY_HEADING = re.compile(r"\bProperty\s+(\d+)\b")
_FILE_NAME = re.compile(r"[\w./-]*[\w-]+\.(?:py|ts|tsx|js|jsx|mjs|go|java)\b")
_STOP = {
    "spec",
    "specs",
    "test",
    "tests",
    "and",
    "the",
    "for",
    "src",
    "app",
    "apps",
    "web",
    "integration",
    "unit",
    "units",
    "property",
    "properties",
    "e2e",
    "new",
    "with",
    "without",
}


class CatalogueSpec(BaseModel):
    key: str = Field(description="The spec's key in its source (path relative to the root)")
    path: str = Field(description="Absolute path of the spec file")
    feature: str
    layout: str
    format: str
    requirement_ids: list[str] = Field(default_factory=list)
    numbers: dict[str, str] = Field(default_factory=dict, description="Kiro '7' -> 'REQ-7'")
    id_keys: dict[str, str] = Field(default_factory=dict, description="'FR-25' -> 'FR-025'")
    titles: dict[str, str] = Field(
        default_factory=dict, description="normalised requirement/scenario title -> req id"
    )
    texts: dict[str, str] = Field(default_factory=dict, description="req id -> text + criteria")
    properties: dict[str, list[str]] = Field(
        default_factory=dict, description="design.md Property N -> Kiro numbers it validates"
    )
    named_files: list[str] = Field(default_factory=list, description="files tasks/plan name")
    companions: list[str] = Field(default_factory=list)

    @property
    def names(self) -> set[str]:
        """How a test can name the feature: folder name, its slug without the number, number."""
        name = PurePosixPath(self.feature).name
        names = {name.lower(), self.feature.lower()}
        if m := re.match(r"^(\d{2,})-(.+)$", name):
            names |= {m.group(1), m.group(2).lower()}
        return names

    @property
    def is_living(self) -> bool:
        """OpenSpec's current truth is `openspec/specs/`; change deltas are proposals/history."""
        return "/changes/" not in f"/{self.feature}/"


class Catalogue(BaseModel):
    root: str
    specs: list[CatalogueSpec] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)

    @property
    def has_openspec(self) -> bool:
        return any(s.format == "openspec" for s in self.specs)

    def spec(self, key: str) -> CatalogueSpec | None:
        return next((s for s in self.specs if s.key == key), None)

    def spec_at(self, path: Path) -> CatalogueSpec | None:
        wanted = str(Path(path).resolve())
        return next((s for s in self.specs if s.path == wanted), None)


def build_catalogue(root: Path) -> Catalogue:
    """The catalogue of the specs under `root` (cached while no spec file changes; discovered
    once per scoring run)."""
    return memo("catalogue", str(root), lambda: _discovered(root))


def _discovered(root: Path) -> Catalogue:
    folder = SpecFolder(root)
    files, _ = folder.discover()
    stamp = tuple((f.key, f.content_hash) for f in files)
    return _build(str(folder.root), stamp)


@lru_cache(maxsize=16)
def _build(root_text: str, stamp: tuple[tuple[str, str], ...]) -> Catalogue:
    folder = SpecFolder(Path(root_text))
    _, discovery = folder.discover()
    catalogue = Catalogue(root=root_text)
    for entry in discovery.specs:
        try:
            doc = build_document(load_raw_spec(folder, entry.key), None)
        except (SpecInputError, OSError) as err:
            catalogue.problems.append(f"{entry.key}: not parsed for citations ({err})")
            continue
        companions = [folder.path_of(k) for k in entry.companions]
        catalogue.specs.append(
            _entry(
                doc,
                entry.key,
                str(folder.path_of(entry.key)),
                entry.feature,
                entry.layout,
                companions,
            )
        )
    del stamp
    return catalogue


def _entry(
    doc: SpecDocument, key: str, path: str, feature: str, layout: str, companions: list[Path]
) -> CatalogueSpec:
    spec = CatalogueSpec(
        key=key,
        path=path,
        feature=feature,
        layout=layout,
        format=doc.format.value,
        companions=[str(p) for p in companions],
    )
    for req in doc.requirements:
        spec.requirement_ids.append(req.id)
        if m := _KIRO_ID.match(req.id):
            spec.numbers[m.group(1)] = req.id
        if (key_ := id_key(req.id)) is not None:
            spec.id_keys[key_] = req.id
        if req.title:
            spec.titles.setdefault(normalise(req.title), req.id)
        for criterion in req.acceptance_criteria:
            if criterion.title:
                spec.titles.setdefault(normalise(criterion.title), req.id)
        spec.texts[req.id] = " ".join(
            [req.title or "", req.text, *(c.text for c in req.acceptance_criteria)]
        )
    for companion in companions:
        try:
            text = companion.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        spec.named_files += sorted(set(_FILE_NAME.findall(text)))
        if companion.name == "design.md":
            spec.properties.update(design_properties(text))
    return spec


def design_properties(text: str) -> dict[str, list[str]]:
    """`Property 15: Title` followed (before the next property) by `Validates: Requirements
    8.1, 8.2`: the numbers a property-based test of Property 15 stands for."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        if (m := _PROPERTY_HEADING.search(line)) and ("#" in line or "**" in line):
            current = m.group(1)
        if current is None or "alidates" not in line:
            continue
        for match in NUMBER_LIST.finditer(line):
            for item in re.split(r"\s*(?:,|;|\band\b|&)\s*", match.group("list")):
                found.setdefault(current, []).extend(expand_range(item))
    return found


def path_tokens(path: str) -> set[str]:
    """Words of a test's folders and file name, for matching feature names."""
    words = re.split(r"[^a-z0-9]+", path.lower())
    return {w for w in words if len(w) > 2 and w not in _STOP}


def feature_tokens(spec: CatalogueSpec) -> set[str]:
    words = re.split(r"[^a-z0-9]+", PurePosixPath(spec.feature).name.lower())
    return {w for w in words if len(w) > 2 and not w.isdigit() and w not in _STOP}
