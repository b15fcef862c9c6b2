"""Small readings of Python test source shared by the linkers (qa/trace.py, qa/test_contexts.py)."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterable
from functools import lru_cache


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
