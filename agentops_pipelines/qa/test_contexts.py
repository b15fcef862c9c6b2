"""The places in a test file where authors write what a test is for, as plain text snippets.

Each snippet (a `TestContext`) says which test it belongs to (or the whole file), how it was
found (marker, name, docstring, comment) and the texts around it (class and module docstrings),
because a citation `Requirements: 7.1` in a test often relies on a `Feature: x` line above it.
Reading the contexts is separate from recognising citations in them (`citation_text`) and from
deciding which spec a citation means (`citations`).
"""

from __future__ import annotations

import ast
import re
import tokenize
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from agentops_pipelines.qa.parsed_python import tree_of
from agentops_pipelines.qa.pysource import (
    first_line,
    marker_args,
    python_comments,
)
from agentops_pipelines.qa.test_text import (
    COMMENT,
    LOOKAHEAD_LINES,
    declared_title,
    title_below,
)

ContextKind = Literal["marker", "name", "docstring", "comment"]
_JS_SUFFIXES = {".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts"}


class TestContext(BaseModel):
    __test__ = False

    test_id: str = Field(description="path::qualname (Python), path::title (JS), or path")
    file: str
    line: int
    kind: ContextKind
    text: str
    enclosing: list[str] = Field(
        default_factory=list, description="Texts around it, nearest first (class, module)"
    )


def contexts_of(path: Path) -> list[TestContext]:
    """Contexts of one test file in any language; unreadable or unparsable files degrade to
    comment scanning, never to an error."""
    try:
        stat = path.stat()
    except OSError:
        return []
    return list(_cached(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4096)
def _cached(path_text: str, _mtime: int, _size: int) -> tuple[TestContext, ...]:
    """Whole-repo runs score many specs against one set of test files: read each file once."""
    path = Path(path_text)
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".py":
        try:
            return tuple(_python(path, text))
        except (SyntaxError, tokenize.TokenError, ValueError):
            # newer syntax than this interpreter, or a generated skeleton not finished yet
            return tuple(comment_contexts(path, text) + python_docstrings_by_text(path, text))
    if path.suffix in _JS_SUFFIXES:
        from agentops_pipelines.qa.js_contexts import js_contexts

        return tuple(js_contexts(path, text))
    return tuple(comment_contexts(path, text))


def _python(path: Path, text: str) -> Iterable[TestContext]:
    tree = tree_of(str(path), text)
    file = str(path)
    module_doc, module_line = _docstring(tree)
    if module_doc:
        yield TestContext(
            test_id=file, file=file, line=module_line, kind="docstring", text=module_doc
        )
    tests: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, str, int]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_test(node):
            tests.append((node.name, node, "", 0))
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            class_doc, class_line = _docstring(node)
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and _is_test(item):
                    tests.append((f"{node.name}::{item.name}", item, class_doc, class_line))
    for qualname, func, class_doc, class_line in tests:
        test_id = f"{file}::{qualname}"
        around = [t for t in (class_doc, module_doc) if t]
        for line, values in marker_args(func):
            yield TestContext(
                test_id=test_id,
                file=file,
                line=line,
                kind="marker",
                text=" ".join(values),
                enclosing=around,
            )
        yield TestContext(
            test_id=test_id,
            file=file,
            line=func.lineno,
            kind="name",
            text=func.name,
            enclosing=around,
        )
        doc, doc_line = _docstring(func)
        if doc:
            yield TestContext(
                test_id=test_id,
                file=file,
                line=doc_line,
                kind="docstring",
                text=doc,
                enclosing=around,
            )
        if class_doc:  # the test's own docstring may name the feature its class cites
            yield TestContext(
                test_id=test_id,
                file=file,
                line=class_line,
                kind="docstring",
                text=class_doc,
                enclosing=[t for t in (doc, module_doc) if t],
            )
    spans = [(n.end_lineno or n.lineno, q, first_line(n), c) for q, n, c, _ in tests]
    for line, raw in python_comments(text):
        comment = raw.lstrip("#").strip()
        owner = _owner(line, spans)
        if owner is None:
            yield TestContext(
                test_id=file,
                file=file,
                line=line,
                kind="comment",
                text=comment,
                enclosing=[module_doc] if module_doc else [],
            )
            continue
        qualname, class_doc = owner
        yield TestContext(
            test_id=f"{file}::{qualname}",
            file=file,
            line=line,
            kind="comment",
            text=comment,
            enclosing=[t for t in (class_doc, module_doc) if t],
        )


def _is_test(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return node.name.startswith("test")


def _docstring(
    node: ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef,
) -> tuple[str, int]:
    """The docstring as written (not dedented) and its first line, so a citation inside it
    keeps its real line number."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        value = body[0].value.value
        if isinstance(value, str):
            return value, body[0].lineno
    return "", 0


def _owner(line: int, spans: list[tuple[int, str, int, str]]) -> tuple[str, str] | None:
    """A comment belongs to the test it sits in, or to the test declared just below it."""
    for end, name, first, class_doc in spans:
        if first <= line <= end or 0 < first - line <= LOOKAHEAD_LINES:
            return name, class_doc
    return None


_DEF = re.compile(r"^(?P<indent>\s*)(?:async\s+)?def\s+(?P<name>test\w*)")
_CLASS = re.compile(r"^(?P<indent>\s*)class\s+(?P<name>Test\w*)")
_QUOTES = re.compile(r'"""|\'\'\'')


def python_docstrings_by_text(path: Path, text: str) -> list[TestContext]:
    """Docstrings of a Python file `ast` cannot read, found line by line: a triple-quoted block
    right under `def test_x` belongs to that test (inside `class TestY` when indented)."""
    file = str(path)
    lines = text.splitlines()
    found: list[TestContext] = []
    owner: str | None = None
    klass: tuple[int, str] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if m := _CLASS.match(line):
            klass, owner = (len(m.group("indent")), m.group("name")), None
        elif m := _DEF.match(line):
            inside = klass is not None and len(m.group("indent")) > klass[0]
            owner = f"{klass[1]}::{m.group('name')}" if inside and klass else m.group("name")
        elif _QUOTES.search(line):
            end = index if len(_QUOTES.findall(line)) >= 2 else index + 1
            while end < len(lines) and end > index and not _QUOTES.search(lines[end]):
                end += 1
            block = "\n".join(lines[index : end + 1])
            test_id = f"{file}::{owner}" if owner else file
            found.append(
                TestContext(
                    test_id=test_id, file=file, line=index + 1, kind="docstring", text=block
                )
            )
            owner, index = None, end
        index += 1
    return found


def comment_contexts(path: Path, text: str) -> list[TestContext]:
    """Any language: test titles, and comments owned by the test declared at or below them."""
    file = str(path)
    lines = text.splitlines()
    found: list[TestContext] = []
    for number, line in enumerate(lines, start=1):
        if title := declared_title(line):
            found.append(
                TestContext(
                    test_id=f"{file}::{title}", file=file, line=number, kind="name", text=title
                )
            )
        comment = COMMENT.search(line)
        if not comment or not comment.group("text").strip():
            continue
        title = title_below(lines, number)
        test_id = f"{file}::{title}" if title else file
        found.append(
            TestContext(
                test_id=test_id,
                file=file,
                line=number,
                kind="comment",
                text=comment.group("text").strip(),
            )
        )
    return found
