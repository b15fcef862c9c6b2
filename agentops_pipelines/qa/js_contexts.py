"""JS/TS test files through tree-sitter: `describe`/`it`/`test` titles and the comments above
them (jest, vitest, mocha all share this shape), plus the file's leading comment block.

A describe block's title and comments apply to every test inside it; the file header applies to
the whole file. Titles come from string or template literals (`it.each` tables included).
"""

from __future__ import annotations

from pathlib import Path

import tree_sitter as ts

from agentops_pipelines.codeintel.ts_parse import parser_for
from agentops_pipelines.qa.test_contexts import TestContext

_SUITE = {"describe", "context", "suite"}
_TEST = {"it", "test", "specify"}


def _language(path: Path) -> str:
    if path.suffix in (".tsx", ".jsx"):
        return "tsx"
    if path.suffix in (".ts", ".mts", ".cts"):
        return "typescript"
    return "javascript"


def _text(node: ts.Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text else ""


def _comment_text(node: ts.Node) -> str:
    raw = _text(node)
    lines = [ln.strip().lstrip("/*").rstrip("*/").strip() for ln in raw.splitlines()]
    return "\n".join(lines)


def js_contexts(path: Path, text: str) -> list[TestContext]:
    tree = parser_for(_language(path)).parse(text.encode("utf-8"))
    file = str(path)
    found: list[TestContext] = []
    header = _header(tree.root_node)
    for line, comment in header:
        found.append(TestContext(test_id=file, file=file, line=line, kind="comment", text=comment))
    joined = "\n".join(text for _, text in header)
    _visit(tree.root_node, file, [joined] if joined else [], found)
    return found


def _header(root: ts.Node) -> list[tuple[int, str]]:
    """Top-level comments that do not sit on a test: the file's own description."""
    parts = []
    for child in root.children:
        if child.type != "comment":
            continue
        after = child.next_sibling
        while after is not None and after.type == "comment":
            after = after.next_sibling
        if after is not None and _test_call(after) is not None:
            continue
        parts.append((child.start_point[0] + 1, _comment_text(child)))
    return parts


def _visit(node: ts.Node, file: str, around: list[str], out: list[TestContext]) -> None:
    for child in node.children:
        call = _test_call(child)
        if call is None:
            _visit(child, file, around, out)
            continue
        name, title, args = call
        comments = _comments_above(child)
        line = child.start_point[0] + 1
        if name in _SUITE:
            suite_text = "\n".join([title, *(text for _, text in comments)])
            callback = args.named_children[-1] if args.named_children else None
            inner: list[TestContext] = []
            if callback is not None:
                _visit(callback, file, [suite_text, *around], inner)
            tests = {c.test_id for c in inner if c.test_id != file}
            for test_id in sorted(tests):
                out.append(
                    TestContext(
                        test_id=test_id,
                        file=file,
                        line=line,
                        kind="name",
                        text=suite_text,
                        enclosing=around,
                    )
                )
            out.extend(inner)
            continue
        test_id = f"{file}::{title}"
        out.append(
            TestContext(
                test_id=test_id, file=file, line=line, kind="name", text=title, enclosing=around
            )
        )
        for comment_line, comment in [*comments, *_comments_inside(args)]:
            out.append(
                TestContext(
                    test_id=test_id,
                    file=file,
                    line=comment_line,
                    kind="comment",
                    text=comment,
                    enclosing=around,
                )
            )


def _test_call(node: ts.Node) -> tuple[str, str, ts.Node] | None:
    """`describe("t", fn)`, `it.only(...)`, `test.each(table)("t", fn)` -> (name, title, args)."""
    expr = node.named_children[0] if node.type == "expression_statement" else node
    if expr is None or expr.type != "call_expression":
        return None
    function = expr.child_by_field_name("function")
    args = expr.child_by_field_name("arguments")
    if function is None or args is None or not args.named_children:
        return None
    while function is not None and function.type in ("member_expression", "call_expression"):
        function = (
            function.child_by_field_name("object")
            if function.type == "member_expression"
            else function.child_by_field_name("function")
        )
    name = _text(function)
    if name not in _SUITE and name not in _TEST:
        return None
    first = args.named_children[0]
    if first.type not in ("string", "template_string"):
        return None
    return name, _text(first).strip("'\"`"), args


def _comments_above(node: ts.Node) -> list[tuple[int, str]]:
    comments = []
    sibling = node.prev_sibling
    expected_row = node.start_point[0]
    while sibling is not None and sibling.type == "comment":
        if expected_row - sibling.end_point[0] > 1:  # a blank line breaks the bond
            break
        comments.append((sibling.start_point[0] + 1, _comment_text(sibling)))
        expected_row = sibling.start_point[0]
        sibling = sibling.prev_sibling
    return list(reversed(comments))


def _comments_inside(args: ts.Node) -> list[tuple[int, str]]:
    """Comments in a test's body (`// Validates: Requirements 7.1` as its first line)."""
    found = []
    stack = list(args.named_children[1:])
    while stack:
        current = stack.pop()
        if current.type == "comment":
            found.append((current.start_point[0] + 1, _comment_text(current)))
        stack.extend(current.children)
    return found
