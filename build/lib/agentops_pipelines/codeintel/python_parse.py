"""Python symbols and imports through the standard `ast` module (exact, no third-party parser)."""

from __future__ import annotations

import ast

from agentops_pipelines.codeintel.models import ImportRef, ParsedFile, Symbol


def _signature(lines: list[str], lineno: int) -> str:
    return lines[lineno - 1].strip()[:200] if 0 < lineno <= len(lines) else ""


def _def_symbols(node: ast.AST, lines: list[str], prefix: str = "") -> list[Symbol]:
    """Top-level definitions and class members (methods as `Class.method`): what a reader
    of the module would look for, not every local name."""
    found: list[Symbol] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            kind = "method" if prefix else "function"
            name = f"{prefix}{child.name}"
            found.append(
                Symbol(name=name, kind=kind, line=child.lineno, signature=_sig(child, lines))
            )
        elif isinstance(child, ast.ClassDef):
            name = f"{prefix}{child.name}"
            found.append(
                Symbol(name=name, kind="class", line=child.lineno, signature=_sig(child, lines))
            )
            found.extend(_def_symbols(child, lines, prefix=f"{name}."))
        elif not prefix and isinstance(child, ast.Assign | ast.AnnAssign):
            targets = child.targets if isinstance(child, ast.Assign) else [child.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found.append(
                        Symbol(
                            name=target.id,
                            kind="variable",
                            line=child.lineno,
                            signature=_signature(lines, child.lineno),
                        )
                    )
    return found


def _sig(node: ast.AST, lines: list[str]) -> str:
    return _signature(lines, getattr(node, "lineno", 0))


def _imports(tree: ast.Module) -> list[ImportRef]:
    refs: list[ImportRef] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            refs.extend(ImportRef(module=a.name, line=node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            refs.append(
                ImportRef(
                    module=node.module or "",
                    names=[a.name for a in node.names],
                    level=node.level,
                    line=node.lineno,
                )
            )
    return sorted(refs, key=lambda r: (r.line, r.module))


def parse_python(text: str) -> ParsedFile:
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return ParsedFile(parse_error=f"line {exc.lineno}: {exc.msg}")
    lines = text.splitlines()
    return ParsedFile(symbols=_def_symbols(tree, lines), imports=_imports(tree))
