"""TypeScript / JavaScript symbols and imports through tree-sitter with the grammars packaged on
PyPI (`tree-sitter-typescript`, `tree-sitter-javascript`): wheels, nothing compiled at runtime."""

from __future__ import annotations

from functools import cache

import tree_sitter as ts
import tree_sitter_javascript as ts_javascript
import tree_sitter_typescript as ts_typescript

from agentops_pipelines.codeintel.models import ImportRef, ParsedFile, Symbol

_DECLARATIONS = {
    "function_declaration": "function",
    "generator_function_declaration": "function",
    "class_declaration": "class",
    "abstract_class_declaration": "class",
    "interface_declaration": "interface",
    "type_alias_declaration": "type",
    "enum_declaration": "enum",
}


@cache
def parser_for(language: str) -> ts.Parser:
    """One parser per grammar per process; building a Language is the costly part."""
    if language == "typescript":
        grammar = ts_typescript.language_typescript()
    elif language == "tsx":
        grammar = ts_typescript.language_tsx()
    elif language == "javascript":
        grammar = ts_javascript.language()
    else:
        raise ValueError(
            f"no tree-sitter grammar for {language!r}: use typescript, tsx or javascript"
        )
    return ts.Parser(ts.Language(grammar))


def _text(node: ts.Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text else ""


def _string_value(node: ts.Node | None) -> str:
    return _text(node).strip("'\"`")


def _first_error_line(node: ts.Node) -> int:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "ERROR" or current.is_missing:
            return current.start_point[0] + 1
        stack.extend(reversed(current.children))
    return node.start_point[0] + 1


def _symbol(node: ts.Node, kind: str, name: str) -> Symbol:
    first = _text(node).splitlines()[0] if _text(node) else ""
    return Symbol(name=name, kind=kind, line=node.start_point[0] + 1, signature=first.strip()[:200])


def _collect(node: ts.Node, symbols: list[Symbol], imports: list[ImportRef]) -> None:
    for child in node.children:
        kind = child.type
        if kind == "export_statement":
            source = child.child_by_field_name("source")
            if source is not None:  # export { x } from "./y" is a dependency too
                imports.append(
                    ImportRef(module=_string_value(source), line=child.start_point[0] + 1)
                )
            _collect(child, symbols, imports)
        elif kind in _DECLARATIONS:
            name = _text(child.child_by_field_name("name"))
            symbols.append(_symbol(child, _DECLARATIONS[kind], name))
            body = child.child_by_field_name("body")
            if _DECLARATIONS[kind] == "class" and body is not None:
                for member in body.children:
                    if member.type == "method_definition":
                        method = _text(member.child_by_field_name("name"))
                        symbols.append(_symbol(member, "method", f"{name}.{method}"))
        elif kind in ("lexical_declaration", "variable_declaration"):
            for decl in child.children:
                if decl.type == "variable_declarator":
                    name_node = decl.child_by_field_name("name")
                    if name_node is not None and name_node.type == "identifier":
                        value = decl.child_by_field_name("value")
                        is_fn = value is not None and value.type in (
                            "arrow_function",
                            "function_expression",
                            "function",
                        )
                        symbols.append(
                            _symbol(child, "function" if is_fn else "variable", _text(name_node))
                        )
                    _requires(decl, imports)
        elif kind == "import_statement":
            source = child.child_by_field_name("source")
            names = [
                _text(n)
                for n in _walk(child)
                if n.type in ("identifier",) and n.parent is not None and n.parent.type != "string"
            ]
            imports.append(
                ImportRef(module=_string_value(source), names=names, line=child.start_point[0] + 1)
            )
        elif kind == "expression_statement":
            _requires(child, imports)


def _walk(node: ts.Node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _requires(node: ts.Node, imports: list[ImportRef]) -> None:
    """CommonJS `require("./x")` and dynamic `import("./x")` with a literal argument."""
    for sub in _walk(node):
        if sub.type != "call_expression":
            continue
        fn = sub.child_by_field_name("function")
        args = sub.child_by_field_name("arguments")
        if fn is None or args is None or _text(fn) not in ("require", "import"):
            continue
        literal = [a for a in args.children if a.type == "string"]
        if literal:
            imports.append(ImportRef(module=_string_value(literal[0]), line=sub.start_point[0] + 1))


def parse_script(text: str, language: str) -> ParsedFile:
    tree = parser_for(language).parse(text.encode("utf-8"))
    root = tree.root_node
    symbols: list[Symbol] = []
    imports: list[ImportRef] = []
    _collect(root, symbols, imports)
    error = f"line {_first_error_line(root)}: syntax error" if root.has_error else None
    return ParsedFile(symbols=symbols, imports=imports, parse_error=error)
