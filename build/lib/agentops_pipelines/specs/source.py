"""Find spec files under a folder or a git clone, hash them, and say what changed.

The same scan serves the polling sensor, the CLI and (later) the push-webhook sensor, so "what
changed" has one definition: a spec's key is its path relative to the root, and it changed when
the sha256 of its bytes changed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import subprocess
from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.specs.models import SourceInfo

DEFAULT_INCLUDE = ("**/*.md",)
DEFAULT_EXCLUDE = ("**/README.md", "**/CHANGELOG.md", "**/node_modules/**", "**/.*/**")


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

    def _check_root(self) -> None:
        if not self.root.is_dir():
            raise FileNotFoundError(
                f"spec source {self.root} is not a folder: set AGENTOPS_SPECS_PATH (or pass a "
                "path to `agentops ingest`) to a folder or git clone that holds the spec files"
            )

    def scan(self) -> list[SpecFile]:
        self._check_root()
        files: list[SpecFile] = []
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            key = path.relative_to(self.root).as_posix()
            if not _matches(key, self.include) or _matches(key, self.exclude):
                continue
            data = path.read_bytes()
            files.append(SpecFile(key=key, content_hash=sha256_bytes(data), size=len(data)))
        return files

    def path_of(self, key: str) -> Path:
        path = (self.root / key).resolve()
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
        return SourceInfo(root=str(self.root), path=key, **_git_last_commit(self.root, key))


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
