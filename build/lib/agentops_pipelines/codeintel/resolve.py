"""Turn import statements into repository files: the edges of the file dependency graph.

Only imports that land on a file of the repository become edges; packages from PyPI or npm are
outside the graph by design (the context builder wants the code the task can change).
"""

from __future__ import annotations

import posixpath

from agentops_pipelines.codeintel.models import FileInfo, ImportRef

SCRIPT_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs")
PYTHON_SOURCE_ROOTS = ("", "src", "lib")


def _python_candidates(dotted: str, roots: list[str]) -> list[str]:
    rel = dotted.replace(".", "/")
    out = []
    for root in roots:
        base = posixpath.join(root, rel) if root else rel
        out += [f"{base}.py", f"{base}/__init__.py"]
    return out


def _python_targets(path: str, ref: ImportRef, files: set[str], roots: list[str]) -> list[str]:
    if ref.level:
        package = posixpath.dirname(path)
        for _ in range(ref.level - 1):
            package = posixpath.dirname(package)
        base_roots = [package]
        module = ref.module
    else:
        base_roots, module = roots, ref.module
    found: list[str] = []
    for name in [None, *ref.names]:  # `from pkg import mod` may name a submodule
        dotted = ".".join(p for p in (module, name) if p)
        if not dotted:
            continue
        for candidate in _python_candidates(dotted, base_roots):
            if candidate in files and candidate != path:
                found.append(candidate)
                break
    return found


def _script_targets(path: str, ref: ImportRef, files: set[str]) -> list[str]:
    spec = ref.module
    if not spec.startswith("."):
        return []
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), spec))
    stem = joined
    for suffix in (".js", ".jsx", ".mjs", ".cjs"):  # TS ESM style: "./x.js" means ./x.ts
        if joined.endswith(suffix):
            stem = joined[: -len(suffix)]
    candidates = [joined, *(stem + s for s in SCRIPT_SUFFIXES)]
    candidates += [f"{joined}/index{s}" for s in SCRIPT_SUFFIXES]
    return next(([c] for c in candidates if c in files and c != path), [])


def python_roots(files: set[str]) -> list[str]:
    """Repo root, `src/`, `lib/` (the common layouts), in that order."""
    return [r for r in PYTHON_SOURCE_ROOTS if not r or any(f.startswith(r + "/") for f in files)]


def resolve_dependencies(infos: dict[str, FileInfo]) -> dict[str, list[str]]:
    files = set(infos)
    roots = python_roots(files)
    deps: dict[str, list[str]] = {}
    for path, info in sorted(infos.items()):
        targets: set[str] = set()
        for ref in info.imports:
            if info.language == "python":
                targets.update(_python_targets(path, ref, files, roots))
            else:
                targets.update(_script_targets(path, ref, files))
        deps[path] = sorted(targets)
    return deps
