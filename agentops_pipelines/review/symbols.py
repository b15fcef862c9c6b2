"""Definitions with their line spans, so a diff line can be named by the symbol it sits in.

Python spans are exact (`ast` end lines, decorators included). For TypeScript/JavaScript the
code-intelligence symbols give start lines only; a symbol is taken to run until the next one
starts, which is right for top-level declarations and close enough for a review.
"""

from __future__ import annotations

import ast

from pydantic import BaseModel

from agentops_pipelines.codeintel import analyse_file, language_of


class Span(BaseModel):
    name: str = ""
    kind: str = ""
    start: int
    end: int


def _python_spans(text: str) -> list[Span]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    spans: list[Span] = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                name = f"{prefix}{node.name}"
                spans.append(Span(name=name, kind=kind, start=first, end=node.end_lineno or first))
                if isinstance(node, ast.ClassDef):
                    visit(node.body, f"{name}.")

    visit(tree.body, "")
    return spans


def _script_spans(path: str, text: str) -> list[Span]:
    info = analyse_file(path, text.encode("utf-8"))
    lines = len(text.splitlines()) or 1
    symbols = sorted(info.symbols, key=lambda s: s.line)
    spans = []
    for index, symbol in enumerate(symbols):
        end = symbols[index + 1].line - 1 if index + 1 < len(symbols) else lines
        spans.append(
            Span(name=symbol.name, kind=symbol.kind, start=symbol.line, end=max(end, symbol.line))
        )
    return spans


def symbol_spans(path: str, text: str) -> list[Span]:
    """Innermost-last list of definitions of a source file; [] for other files."""
    language = language_of(path)
    if language == "python":
        return _python_spans(text)
    if language is None:
        return []
    return _script_spans(path, text)


def innermost(spans: list[Span], line: int) -> Span | None:
    """The smallest span containing the line (a method rather than its class)."""
    inside = [s for s in spans if s.start <= line <= s.end]
    return min(inside, key=lambda s: s.end - s.start) if inside else None
