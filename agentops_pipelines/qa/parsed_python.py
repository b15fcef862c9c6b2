"""One `ast.parse` per test file version: scoring a repository's specs one after another reads
the same test files for every spec (fingerprints, orphans), and parsing is the costly part."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path


def parsed(path: Path) -> tuple[str, ast.Module] | None:
    """(text, tree) of a Python file, or None when it cannot be read or parsed."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _parse(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2048)
def _parse(path_text: str, _mtime: int, _size: int) -> tuple[str, ast.Module] | None:
    try:
        text = Path(path_text).read_text(encoding="utf-8")
        return text, ast.parse(text)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None


def tree_of(path_text: str, text: str) -> ast.Module:
    """The tree of `text`, shared with `parsed` when it is the file's current content (one
    parse per file version for every extractor); raises SyntaxError like `ast.parse`."""
    read = parsed(Path(path_text))
    if read is not None and read[0] == text:
        return read[1]
    return ast.parse(text, filename=path_text)
