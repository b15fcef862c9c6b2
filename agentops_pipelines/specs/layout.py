"""Which markdown files of a repository are specs, which are their companions, and why the rest
is skipped: the on-disk layouts of Kiro, spec-kit and OpenSpec.

Paths are matched on their absolute form, so pointing AgentOps at a repository root, at its
`specs/` folder or at one feature folder classifies the same file the same way.

- Kiro: `.kiro/specs/<feature>/requirements.md` (also `.specs/`, `.sce/specs/`); `design.md`,
  `tasks.md` beside it are companions.
- spec-kit: `specs/NNN-<feature>/spec.md` (or a flat `specs/NNN-<feature>.md`); plan, tasks,
  research, data-model, quickstart, checklists/, contracts/ are companions; the constitution and
  `.specify/templates` are project files, not specs.
- OpenSpec: `openspec/specs/<capability>/spec.md` and the deltas under
  `openspec/changes/<id>/specs/...` and `openspec/changes/archive/<id>/specs/...`; a change's
  proposal, tasks and design are its companions.

A folder with none of these layouts keeps the old behaviour: every markdown file is a spec,
except the well-known companion and project files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Literal

from pydantic import BaseModel, Field

Layout = Literal["kiro", "spec-kit", "openspec", "folder"]

_KIRO_ROOT = r"(?:\.kiro/specs|\.sce/specs|\.specs)"
_KIRO = re.compile(rf"/(?P<feature>{_KIRO_ROOT}/[^/]+)/(?P<file>[^/]+\.md)$")
_KIRO_DEEP = re.compile(rf"/(?P<feature>{_KIRO_ROOT}/[^/]+)/.+\.md$")
_SPECKIT = re.compile(r"/(?P<feature>specs/\d{3,}-[^/]+)/(?P<rest>.+\.md)$")
_SPECKIT_FLAT = re.compile(r"/(?P<feature>specs/\d{3,}-[^/]+)\.md$")
_OPENSPEC = re.compile(
    r"/(?P<feature>openspec/(?:specs|changes/(?:archive/)?[^/]+/specs)/[^/]+)/spec\.md$"
)
_OPENSPEC_CHANGE = re.compile(r"/(?P<change>openspec/changes/(?:archive/)?[^/]+)/(?P<rest>.+\.md)$")
_OPENSPEC_PROJECT = re.compile(r"/openspec/[^/]+\.md$")
_CONSTITUTION = re.compile(r"(?:^|/)constitution\.md$", re.IGNORECASE)
_SPECIFY = re.compile(r"/\.specify/")
_STEERING = re.compile(r"/\.kiro/steering/")
_AGENT_FILES = {"agents.md", "claude.md", "gemini.md", "copilot-instructions.md"}
_PROJECT_FILES = {"readme.md", "changelog.md", "license.md", "contributing.md", "security.md"}
COMPANION_NAMES = {
    "plan.md",
    "tasks.md",
    "research.md",
    "data-model.md",
    "quickstart.md",
    "design.md",
    "proposal.md",
}
_COMPANION_DIRS = {"checklists", "contracts"}


class SpecEntry(BaseModel):
    key: str
    layout: Layout
    feature: str = Field(description="The feature (or capability) folder, e.g. specs/003-x")
    companions: list[str] = Field(default_factory=list, description="Keys of companion files")


class SkippedFile(BaseModel):
    key: str
    reason: str
    companion_of: str | None = None


class Discovery(BaseModel):
    specs: list[SpecEntry] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)

    def reasons(self) -> dict[str, int]:
        """Skipped files counted by reason kind (the text before the first colon)."""
        counts: dict[str, int] = defaultdict(int)
        for item in self.skipped:
            counts[item.reason.split(":", 1)[0]] += 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def skipped_summary(discovery: Discovery) -> str | None:
    """One line for logs and the CLI: `skipped 85 files (63 companion, 20 hidden folder)`."""
    if not discovery.skipped:
        return None
    parts = ", ".join(f"{n} {reason}" for reason, n in discovery.reasons().items())
    return f"skipped {len(discovery.skipped)} files ({parts})"


def classify(root: str, keys: list[str], sizes: dict[str, int] | None = None) -> Discovery:
    """Sort candidate markdown keys (relative to `root`) into specs, companions and skips."""
    sizes = sizes or {}
    base = "/" + root.strip("/")
    full = {key: f"{base}/{key}" for key in keys}
    specs: dict[str, SpecEntry] = {}
    for key in keys:
        entry = _spec_entry(key, full[key], base)
        if entry is not None:
            specs[key] = entry
    _drop_duplicate_flat(specs, sizes)
    laid_out = bool(specs)
    discovery = Discovery()
    by_feature = {e.feature: e for e in specs.values()}
    for key in keys:
        if key in specs:
            continue
        skipped = _skip_reason(key, full[key], base, by_feature, specs, laid_out)
        if skipped is None:
            specs[key] = SpecEntry(key=key, layout="folder", feature=_parent(key))
        else:
            discovery.skipped.append(skipped)
            if skipped.companion_of and skipped.companion_of in specs:
                specs[skipped.companion_of].companions.append(key)
    discovery.specs = sorted(specs.values(), key=lambda e: e.key)
    return discovery


def _spec_entry(key: str, path: str, base: str) -> SpecEntry | None:
    if (m := _KIRO.search(path)) and m.group("file") == "requirements.md":
        return SpecEntry(key=key, layout="kiro", feature=_relative(m.group("feature"), base))
    if (m := _SPECKIT.search(path)) and m.group("rest") == "spec.md":
        return SpecEntry(key=key, layout="spec-kit", feature=_relative(m.group("feature"), base))
    if m := _SPECKIT_FLAT.search(path):
        return SpecEntry(key=key, layout="spec-kit", feature=_relative(m.group("feature"), base))
    if m := _OPENSPEC.search(path):
        return SpecEntry(key=key, layout="openspec", feature=_relative(m.group("feature"), base))
    return None


def _drop_duplicate_flat(specs: dict[str, SpecEntry], sizes: dict[str, int]) -> None:
    """spec-kit projects sometimes keep `specs/003-x.md` and a copy `specs/003-x/spec.md`; one
    feature gets one spec: the larger file (the other is often a stub pointing to it)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for key, entry in specs.items():
        if entry.layout == "spec-kit":
            groups[entry.feature].append(key)
    for keys in groups.values():
        if len(keys) < 2:
            continue
        keep = max(keys, key=lambda k: (sizes.get(k, 0), k.endswith("/spec.md")))
        for key in keys:
            if key != keep:
                del specs[key]
                specs[keep].companions.append(key)


def _skip_reason(
    key: str,
    path: str,
    base: str,
    by_feature: dict[str, SpecEntry],
    specs: dict[str, SpecEntry],
    laid_out: bool,
) -> SkippedFile | None:
    name = PurePosixPath(key).name.lower()
    duplicate = next((e for e in specs.values() if key in e.companions), None)
    if duplicate is not None:
        return SkippedFile(
            key=key,
            reason=f"duplicate: the larger copy {duplicate.key} is read as this feature's spec",
            companion_of=None,
        )
    for pattern in (_KIRO_DEEP, _SPECKIT):
        if m := pattern.search(path):
            feature = _relative(m.group("feature"), base)
            owner = by_feature.get(feature)
            if owner is not None:
                return _companion(key, owner.key)
            return SkippedFile(key=key, reason=f"no spec: feature folder {feature} has no spec")
    if m := _OPENSPEC_CHANGE.search(path):
        change = _relative(m.group("change"), base)
        owners = [e.key for e in specs.values() if e.feature.startswith(change + "/")]
        if owners:
            return _companion(key, owners[0])
        return SkippedFile(key=key, reason=f"no spec: change {change} has no spec deltas")
    if _CONSTITUTION.search(path):
        return SkippedFile(key=key, reason="project constitution: governs every feature")
    if _SPECIFY.search(path):
        return SkippedFile(key=key, reason="spec-kit project file (.specify templates/memory)")
    if _STEERING.search(path):
        return SkippedFile(key=key, reason="Kiro steering: agent guidance, not a spec")
    if _OPENSPEC_PROJECT.search(path):
        return SkippedFile(key=key, reason="OpenSpec project file: agent instructions/context")
    if name in _PROJECT_FILES or name in _AGENT_FILES:
        return SkippedFile(key=key, reason=f"project file: {name}")
    if any(part.startswith(".") for part in PurePosixPath(key).parts[:-1]):
        return SkippedFile(key=key, reason="hidden folder: not a known spec layout")
    if laid_out:
        return SkippedFile(
            key=key,
            reason="outside the spec layouts found: add it with specs.include in .agentops.yml",
        )
    if name in COMPANION_NAMES or set(PurePosixPath(key).parts[:-1]) & _COMPANION_DIRS:
        sibling = next((e.key for e in specs.values() if _parent(e.key) == _feature_dir(key)), None)
        if sibling is not None:
            return _companion(key, sibling)
        return SkippedFile(key=key, reason=f"companion file: {name} is not a spec on its own")
    return None


def _companion(key: str, owner: str) -> SkippedFile:
    return SkippedFile(key=key, reason=f"companion: read with its spec {owner}", companion_of=owner)


def _relative(feature: str, base: str) -> str:
    """The feature label is the layout's own part of the path (`specs/003-x`), whatever folder
    the scan started from; `base` is kept for symmetry with the callers."""
    del base
    return feature


def _parent(key: str) -> str:
    parent = PurePosixPath(key).parent.as_posix()
    return "" if parent == "." else parent


def _feature_dir(key: str) -> str:
    """A companion in `checklists/` or `contracts/` belongs to the folder above those."""
    parts = PurePosixPath(key).parts[:-1]
    while parts and parts[-1] in _COMPANION_DIRS:
        parts = parts[:-1]
    return "/".join(parts)
