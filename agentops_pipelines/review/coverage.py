"""Which tests exercise a symbol, from the code alone (no coverage run needed).

A test reaches a definition when its body names it, or names a definition that names it, and so
on (a few hops), looking only at files the test file imports directly or through other repo
files (the code-intelligence dependency graph). Names are matched by their last component, so
`obj.method()` reaches `Class.method`: loose within the import closure, never across it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from agentops_pipelines.codeintel import CodeIndex, build_index
from agentops_pipelines.review.weakening import is_test_path, python_tests

MAX_HOPS = 6
Target = tuple[str, str]  # (repo-relative file, qualified symbol name as in symbols.Span)


def _referenced(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            names.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            names.add(sub.attr)
    return names


class _Module:
    """Definitions of one Python file (`Class.method` style) and the names each body uses."""

    def __init__(self, text: str) -> None:
        self.refs: dict[str, set[str]] = {}
        self.test_refs: dict[str, set[str]] = {}
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return
        self._visit(tree.body, "")

    def _visit(self, body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{node.name}"
                self.refs[name] = _referenced(node)
                if isinstance(node, ast.ClassDef):
                    self._visit(node.body, f"{name}.")


_MODULES: dict[str, _Module] = {}


def _module(sha256: str, path: Path) -> _Module:
    """Parsed once per content: the base and head of a PR share almost every file."""
    if sha256 not in _MODULES:
        if len(_MODULES) > 20_000:
            _MODULES.clear()
        _MODULES[sha256] = _Module(path.read_text("utf-8", "replace"))
    return _MODULES[sha256]


class CoverageMap:
    def __init__(
        self, root: Path, index: CodeIndex | None = None, cache_path: Path | None = None
    ) -> None:
        self.root = Path(root)
        self.index = index or build_index(self.root, cache_path)
        self.modules: dict[str, _Module] = {}
        for path, info in self.index.files.items():
            if info.language == "python":
                self.modules[path] = _module(info.sha256, self.root / path)

    def _closure(self, path: str) -> set[str]:
        seen, frontier = {path}, [path]
        while frontier:
            nxt = []
            for current in frontier:
                for dep in self.index.deps.get(current, []):
                    if dep not in seen:
                        seen.add(dep)
                        nxt.append(dep)
            frontier = nxt
        return seen

    def tests_reaching(self, targets: set[Target]) -> dict[Target, set[str]]:
        """For each target symbol, the test ids (`path::qualname`) whose body reaches it."""
        found: dict[Target, set[str]] = defaultdict(set)
        if not targets:
            return found
        for path in sorted(self.modules):
            if not is_test_path(path):
                continue
            closure = self._closure(path)
            if not any(t[0] in closure for t in targets):
                continue
            by_name: dict[str, list[Target]] = defaultdict(list)
            for file in closure:
                for qualname in self.modules.get(file, _Module("")).refs:
                    by_name[qualname.rsplit(".", 1)[-1]].append((file, qualname))
            tests = python_tests((self.root / path).read_text("utf-8", "replace")) or {}
            for qualname in tests:
                body_refs = self.modules[path].refs.get(qualname.replace("::", "."), set())
                for target in self._reach(body_refs, by_name) & targets:
                    found[target].add(f"{path}::{qualname}")
        return found

    def _reach(self, names: set[str], by_name: dict[str, list[Target]]) -> set[Target]:
        seen: set[Target] = set()
        frontier = set(names)
        for _ in range(MAX_HOPS):
            nxt: set[str] = set()
            for name in frontier:
                for target in by_name.get(name, []):
                    if target not in seen:
                        seen.add(target)
                        if "." in target[1]:  # a method reached: its class is in use too
                            seen.add((target[0], target[1].rsplit(".", 1)[0]))
                        nxt |= self.modules[target[0]].refs.get(target[1], set())
            frontier = nxt
            if not frontier:
                break
        return seen
