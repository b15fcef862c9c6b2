"""Find spec files under a folder or a git clone, hash them, and say what changed.

The same scan serves the polling sensor, the CLI and (later) the push-webhook sensor, so "what
changed" has one definition: a spec's key is its path relative to the root, and it changed when
the sha256 of its bytes changed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import subprocess
from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.repos.settings import (
    RepoSettings,
    find_settings_file,
    load_repo_settings,
)
from agentops_pipelines.security.pii import safe_path_key
from agentops_pipelines.specs.layout import Discovery, SkippedFile, SpecEntry, classify
from agentops_pipelines.specs.models import SourceInfo

DEFAULT_INCLUDE = ("**/*.md",)
DEFAULT_EXCLUDE = ("**/README.md", "**/CHANGELOG.md", "**/node_modules/**")
# Never walked: tool caches and installed dependencies. Other hidden folders are walked, so
# `.kiro/specs` and `.sce/specs` are found; the layout rules say why the rest is skipped.
PRUNED_DIRS = {
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".tox",
    ".next",
    "dist",
    "build",
}


class SpecFile(BaseModel):
    key: str = Field(description="Path relative to the source root, with '/' separators")
    content_hash: str
    size: int


class ChangeSet(BaseModel):
    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: int = 0

    @property
    def to_run(self) -> list[str]:
        return sorted(self.added + self.changed)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _matches(key: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """fnmatch's '**/' needs a directory; also try the pattern without it for top-level files."""
    return any(
        fnmatch.fnmatch(key, p) or (p.startswith("**/") and fnmatch.fnmatch(key, p[3:]))
        for p in patterns
    )


class SpecFolder:
    """A local folder (optionally a git working tree) holding spec markdown files."""

    def __init__(
        self,
        root: Path,
        include: tuple[str, ...] | list[str] = DEFAULT_INCLUDE,
        exclude: tuple[str, ...] | list[str] = DEFAULT_EXCLUDE,
    ) -> None:
        self.root = Path(root).resolve()
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self._paths: dict[str, str] = {}  # key -> real relative path, where they differ

    def _check_root(self) -> None:
        if not self.root.is_dir():
            raise FileNotFoundError(
                f"spec source {self.root} is not a folder: set AGENTOPS_SPECS_PATH (or pass a "
                "path to `agentops ingest`) to a folder or git clone that holds the spec files"
            )

    def scan(self) -> list[SpecFile]:
        return self.discover()[0]

    def discover(self) -> tuple[list[SpecFile], Discovery]:
        """Spec files (hashed) and the full classification, with every skipped file's reason."""
        self._check_root()
        settings_path = find_settings_file(self.root)
        settings = load_repo_settings(settings_path)
        repo_root = settings_path.parent if settings_path else self.root
        candidates: dict[str, Path] = {}
        skipped: list[SkippedFile] = []
        for path in self._walk():
            key = path.relative_to(self.root).as_posix()
            if not _matches(key, self.include):
                continue
            if _matches(key, self.exclude):
                skipped.append(SkippedFile(key=key, reason="excluded: spec source exclude glob"))
                continue
            candidates[key] = path
        sizes = {key: path.stat().st_size for key, path in candidates.items()}
        discovery = classify(self.root.as_posix(), sorted(candidates), sizes)
        discovery = _apply_settings(discovery, settings, self.root, repo_root)
        discovery.skipped = sorted(skipped + discovery.skipped, key=lambda s: s.key)
        files = []
        for entry in discovery.specs:
            data = candidates[entry.key].read_bytes()
            key = safe_path_key(entry.key)  # an e-mail in a path never becomes a key
            if key != entry.key:
                self._paths[key] = entry.key
            files.append(SpecFile(key=key, content_hash=sha256_bytes(data), size=len(data)))
        return files, discovery

    def _walk(self) -> list[Path]:
        found: list[Path] = []
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if d not in PRUNED_DIRS)
            for name in sorted(names):
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    found.append(path)
        return found

    def _relative(self, key: str) -> str:
        """The real path behind a key; keys with a pseudonym are resolved by a scan."""
        if key in self._paths:
            return self._paths[key]
        if key.count("email-") and self.root.is_dir():
            self.scan()
        return self._paths.get(key, key)

    def path_of(self, key: str) -> Path:
        path = (self.root / self._relative(key)).resolve()
        if self.root not in path.parents:
            raise ValueError(f"spec key {key!r} points outside the source root {self.root}")
        return path

    def read_bytes(self, key: str) -> bytes:
        path = self.path_of(key)
        if not path.is_file():
            raise FileNotFoundError(
                f"spec {key!r} is no longer in {self.root}: it was removed or renamed; "
                "re-run the scan so its partition is dropped"
            )
        return path.read_bytes()

    def source_info(self, key: str) -> SourceInfo:
        rel = self._relative(key)
        return SourceInfo(root=str(self.root), path=key, **_git_last_commit(self.root, rel))


def _apply_settings(
    discovery: Discovery, settings: RepoSettings, root: Path, repo_root: Path
) -> Discovery:
    """`.agentops.yml` `specs.include` names the only specs, `specs.exclude` removes some; the
    globs are relative to the repository root (where the settings file is)."""
    rules = settings.specs
    if rules is None or (rules.include is None and not rules.exclude):
        return discovery

    def repo_key(key: str) -> str:
        try:
            return (root / key).relative_to(repo_root).as_posix()
        except ValueError:
            return key

    specs: list[SpecEntry] = []
    skipped = list(discovery.skipped)
    if rules.include is not None:
        taken = {s.key for s in skipped if _matches(repo_key(s.key), rules.include)}
        skipped = [s for s in skipped if s.key not in taken]
        candidates = discovery.specs + [
            SpecEntry(key=k, layout="folder", feature=k.rsplit("/", 1)[0] if "/" in k else "")
            for k in sorted(taken)
        ]
    else:
        candidates = list(discovery.specs)
    for entry in candidates:
        key = repo_key(entry.key)
        if rules.include is not None and not _matches(key, rules.include):
            skipped.append(
                SkippedFile(key=entry.key, reason="excluded: not matched by specs.include")
            )
        elif rules.exclude and _matches(key, rules.exclude):
            skipped.append(SkippedFile(key=entry.key, reason="excluded: by specs.exclude"))
        else:
            specs.append(entry)
    return Discovery(specs=sorted(specs, key=lambda e: e.key), skipped=skipped)


def _git_last_commit(root: Path, key: str) -> dict[str, str | None]:
    """Git metadata is a bonus: a plain folder (or no git binary) just yields None fields."""
    empty: dict[str, str | None] = {"commit": None, "author": None, "committed_at": None}
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%H%x1f%an%x1f%aI", "--", key],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return empty
    parts = out.stdout.strip().split("\x1f")
    if out.returncode != 0 or len(parts) != 3:
        return empty
    return {"commit": parts[0], "author": parts[1], "committed_at": parts[2]}


def diff_scan(previous: dict[str, str], current: list[SpecFile]) -> ChangeSet:
    """Compare a {key: content_hash} snapshot with a fresh scan."""
    now = {f.key: f.content_hash for f in current}
    added = sorted(k for k in now if k not in previous)
    changed = sorted(k for k in now if k in previous and previous[k] != now[k])
    removed = sorted(k for k in previous if k not in now)
    return ChangeSet(
        added=added,
        changed=changed,
        removed=removed,
        unchanged=len(now) - len(added) - len(changed),
    )
