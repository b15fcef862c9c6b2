"""The code-intelligence contract: symbols, imports and dependencies of every file of a repo."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

INDEX_SCHEMA_VERSION = "1"

Language = Literal["python", "typescript", "tsx", "javascript"]


class Symbol(BaseModel):
    name: str
    kind: str = Field(description="function, class, method, variable, interface, type, enum")
    line: int = Field(description="1-based line of the definition")
    signature: str = Field(default="", description="First line of the definition, trimmed")


class ImportRef(BaseModel):
    """One import as written (`module` is dotted for Python, a specifier for TS/JS)."""

    module: str
    names: list[str] = Field(default_factory=list)
    level: int = Field(default=0, description="Python relative-import dots; 0 for absolute")
    line: int = 0


class FileInfo(BaseModel):
    path: str = Field(description="POSIX path relative to the repository root")
    language: Language
    sha256: str
    size_bytes: int
    tokens: int = Field(description="Approximate token count (see codeintel.tokens)")
    symbols: list[Symbol] = Field(default_factory=list)
    imports: list[ImportRef] = Field(default_factory=list)
    parse_error: str | None = None


class ParsedFile(BaseModel):
    """What a language parser returns for one file's text."""

    symbols: list[Symbol] = Field(default_factory=list)
    imports: list[ImportRef] = Field(default_factory=list)
    parse_error: str | None = None


class CodeIndex(BaseModel):
    schema_version: str = INDEX_SCHEMA_VERSION
    root: str
    files: dict[str, FileInfo] = Field(default_factory=dict)
    deps: dict[str, list[str]] = Field(
        default_factory=dict, description="file -> repo files it imports (resolved)"
    )
    reused: int = Field(default=0, description="Files taken from the cache (same sha256)")
    parsed: int = Field(default=0, description="Files parsed in this build")

    def dependents(self, path: str) -> list[str]:
        """Files that import `path`."""
        return sorted(src for src, targets in self.deps.items() if path in targets)

    def neighbourhood(self, paths: list[str], hops: int = 1) -> dict[str, int]:
        """Files within `hops` import edges (either direction) of `paths`, with their distance."""
        reverse: dict[str, set[str]] = {}
        for src, targets in self.deps.items():
            for target in targets:
                reverse.setdefault(target, set()).add(src)
        dist = {p: 0 for p in paths if p in self.files}
        frontier = list(dist)
        for hop in range(1, hops + 1):
            nxt = []
            for path in frontier:
                for other in sorted(set(self.deps.get(path, [])) | reverse.get(path, set())):
                    if other not in dist:
                        dist[other] = hop
                        nxt.append(other)
            frontier = nxt
        return dist
