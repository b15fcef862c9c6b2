"""Is a change to a Python definition behaviour-neutral? Compared on normalised syntax trees.

Normalisation drops what cannot change behaviour: docstrings, comments and layout (the parser
already does), type annotations, and the names of local variables and parameters (renamed in
order of first use). Anything else that differs, an extracted helper included, counts as a
behaviour change: the review errs on the side of asking for a test.
"""

from __future__ import annotations

import ast
import copy


class _Normaliser(ast.NodeTransformer):
    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def _local(self, name: str) -> str:
        return self.names.setdefault(name, f"_v{len(self.names)}")

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg = self._local(node.arg)
        node.annotation = None
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if isinstance(node.ctx, ast.Store) or node.id in self.names:
            node.id = self._local(node.id)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST | None:
        if node.value is None:
            return None
        target = self.visit(node.target)
        return ast.Assign(targets=[target], value=self.visit(node.value), lineno=node.lineno)

    def _body(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> ast.AST:
        body = node.body
        first = body[0] if body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            body = (body[1:] or [ast.Pass()]) if isinstance(first.value.value, str) else body
        node.body = body
        if not isinstance(node, ast.ClassDef):
            node.returns = None
        return self.generic_visit(node)

    visit_FunctionDef = _body  # type: ignore[assignment]
    visit_AsyncFunctionDef = _body  # type: ignore[assignment]
    visit_ClassDef = _body  # type: ignore[assignment]


def _find(tree: ast.Module, qualname: str) -> ast.AST | None:
    body: list[ast.stmt] = tree.body
    node: ast.AST | None = None
    for part in qualname.split("."):
        node = next((n for n in body if getattr(n, "name", None) == part), None)
        if node is None:
            return None
        body = getattr(node, "body", [])
    return node


def _dump(text: str, qualname: str) -> str | None:
    try:
        node = _find(ast.parse(text), qualname)
    except SyntaxError:
        return None
    if node is None:
        return None
    normal = _Normaliser().visit(copy.deepcopy(node))
    if isinstance(normal, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        normal.name = "_"
        normal.decorator_list = [_Normaliser().visit(d) for d in normal.decorator_list]
    return ast.dump(normal, include_attributes=False)


def neutral_change(base: str | None, head: str | None, qualname: str) -> bool:
    """True when the definition exists on both sides and only changed in neutral ways."""
    if base is None or head is None:
        return False
    before, after = _dump(base, qualname), _dump(head, qualname)
    return before is not None and before == after


def neutral_module_level(base: str | None, head: str | None) -> bool:
    """Module-level code outside definitions (imports, constants) unchanged but for order of
    imports, docstrings and comments."""
    if base is None or head is None:
        return False

    def rest(text: str) -> list[str] | None:
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return None
        kept = []
        for index, node in enumerate(tree.body):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue
            kept.append(ast.dump(node, include_attributes=False))
        imports = sorted(k for k in kept if k.startswith(("Import(", "ImportFrom(")))
        return imports + [k for k in kept if not k.startswith(("Import(", "ImportFrom("))]

    before, after = rest(base), rest(head)
    return before is not None and before == after
