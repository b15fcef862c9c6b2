"""Build the code index of a repository, reusing every file whose sha256 did not change.

The cache is the previous index as one JSON file (under the artefact root): a file whose content
hash is unchanged is not parsed again, so re-indexing a large repo after a small commit costs one
walk and a few parses.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from agentops_pipelines.codeintel.models import INDEX_SCHEMA_VERSION, CodeIndex, FileInfo, Language
from agentops_pipelines.codeintel.python_parse import parse_python
from agentops_pipelines.codeintel.resolve import resolve_dependencies
from agentops_pipelines.codeintel.tokens import approx_tokens
from agentops_pipelines.codeintel.ts_parse import parse_script

LANGUAGES: dict[str, Language] = {
    ".py": "python",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
}
SKIP_DIRS = {
    ".git",
    ".hg",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    "dist",
    "build",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".tox",
    ".next",
    "coverage",
}
MAX_FILE_BYTES = 1_000_000  # generated bundles and vendored blobs are not worth a context slot


def language_of(path: str) -> Language | None:
    return LANGUAGES.get(Path(path).suffix.lower())


def source_files(root: Path) -> list[str]:
    """Repo-relative POSIX paths of the indexable files, sorted; vendored/build folders skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".tox"))
        for name in filenames:
            full = Path(dirpath) / name
            if not language_of(name) or full.is_symlink() or not full.is_file():
                continue  # symlinks are skipped: they may point outside the repository
            if full.stat().st_size <= MAX_FILE_BYTES:
                found.append(full.relative_to(root).as_posix())
    return sorted(found)


def analyse_file(path: str, data: bytes) -> FileInfo:
    language = language_of(path)
    if language is None:
        raise ValueError(f"{path}: not a Python/TypeScript/JavaScript file; nothing to analyse")
    text = data.decode("utf-8", "replace")
    parsed = parse_python(text) if language == "python" else parse_script(text, language)
    return FileInfo(
        path=path,
        language=language,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        tokens=approx_tokens(text),
        **parsed.model_dump(),
    )


def load_cached(cache_path: Path | None) -> CodeIndex | None:
    """The previous index, or None when absent, corrupt or of another schema version."""
    if cache_path is None or not cache_path.exists():
        return None
    try:
        cached = CodeIndex.model_validate_json(cache_path.read_text(encoding="utf-8"))
    except (ValidationError, OSError, ValueError):
        return None
    return cached if cached.schema_version == INDEX_SCHEMA_VERSION else None


def _save(index: CodeIndex, cache_path: Path) -> None:
    """Atomic write: a reader never sees half an index."""
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(index.model_dump_json())
    os.replace(tmp, cache_path)


def build_index(root: Path, cache_path: Path | None = None) -> CodeIndex:
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(
            f"code repository {root} is not a folder: check the link in config/code_links.yaml"
        )
    previous = load_cached(cache_path)
    by_hash = {f.sha256: f for f in previous.files.values()} if previous else {}
    infos: dict[str, FileInfo] = {}
    reused = 0
    for path in source_files(root):
        data = (root / path).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        hit = by_hash.get(digest)
        if hit is not None and hit.language == language_of(path):
            infos[path] = hit.model_copy(update={"path": path})
            reused += 1
        else:
            infos[path] = analyse_file(path, data)
    index = CodeIndex(
        root=str(root.resolve()),
        files=infos,
        deps=resolve_dependencies(infos),
        reused=reused,
        parsed=len(infos) - reused,
    )
    if cache_path is not None:
        _save(index, cache_path)
    return index
