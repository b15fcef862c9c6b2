"""Small readings of Python test source shared by the two test linkers
(qa/evidence_links.py, qa/test_contexts.py)."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable
from functools import lru_cache

REQUIREMENT_MARKERS = frozenset({"requirement", "requirements"})


def first_line(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Where a test starts as a reader sees it: its first decorator, else its `def`."""
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])


def python_comments(text: str) -> Iterable[tuple[int, str]]:
    """Each `#` comment with its line, as written (the `#` included); tokenized once per
    content, since both linkers read every test file."""
    return _comments(text)


@lru_cache(maxsize=4096)
def _comments(text: str) -> tuple[tuple[int, str], ...]:
    return tuple(
        (token.start[0], token.string)
        for token in tokenize.generate_tokens(io.StringIO(text).readline)
        if token.type == tokenize.COMMENT
    )


def marker_args(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterable[tuple[int, list[str]]]:
    """The strings given to `@pytest.mark.requirement(...)` / `@mark.requirements([...])`, as
    arguments, list or tuple items or keyword values, split on commas and blanks, per decorator
    line."""
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
            continue
        if decorator.func.attr not in REQUIREMENT_MARKERS:
            continue
        values = [
            n.value
            for n in ast.walk(decorator)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ]
        yield decorator.lineno, [v for value in values for v in re.split(r"[,\s;]+", value) if v]
