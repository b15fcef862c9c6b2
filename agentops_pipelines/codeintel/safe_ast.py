"""`ast.parse` that is safe to call from several threads.

CPython 3.11's AST constructor keeps its recursion depth in shared state: two threads parsing at
once can fail with "SystemError: AST constructor recursion depth mismatch" (cpython gh-106905).
Concurrent SpecGPT requests index linked code in threads, so every parse goes through one lock.
"""

from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()


def parse_ast(text: str, filename: str = "<unknown>") -> ast.Module:
    with _LOCK:
        return ast.parse(text, filename=filename)
