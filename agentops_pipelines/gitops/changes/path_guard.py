"""Refuses generated changes that would touch protected paths (CI workflows by default).

A generated change must never edit the pipeline that judges it, so `.github/workflows/` is off
limits unless an operator configures otherwise.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

DEFAULT_PROTECTED_PATHS = (".github/workflows/",)


class ProtectedPathError(ValueError):
    """A change touches a protected path or a path that escapes the repository."""


def _normalise(path: str) -> str:
    """Resolve `a/../b` and `./` first so a protected path cannot be reached by a detour."""
    if not path or path.startswith("/") or "\\" in path:
        raise ProtectedPathError(
            f"file path {path!r} must be relative to the repository root and use '/' separators"
        )
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../"):
        raise ProtectedPathError(f"file path {path!r} points outside the repository")
    return normal


def check_paths(
    paths: Iterable[str], protected: Iterable[str] = DEFAULT_PROTECTED_PATHS
) -> list[str]:
    """Normalised paths, or ProtectedPathError naming every offending path."""
    prefixes = [p.lower() for p in protected]
    normalised = [_normalise(p) for p in paths]
    blocked = [
        p
        for p in normalised
        if any(p.lower().startswith(x) or p.lower() + "/" == x for x in prefixes)
    ]
    if blocked:
        raise ProtectedPathError(
            f"refusing to write protected paths {blocked} (protected: {list(protected)}); "
            "remove these files from the change or change the protected_paths setting"
        )
    return normalised
