"""One markdown-it pass over a spec, flattened into blocks with line spans and heading paths.

Every format parser walks this outline instead of re-reading the text, so the markdown is parsed
once per document and all parsers agree on what a heading, list item or code fence is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from agentops_pipelines.specs.models import SpecInputError

_MD = MarkdownIt("commonmark").enable("table")
_CONTAINERS = {"blockquote"}


@dataclass
class Item:
    """A list item: its own paragraph text plus nested items."""

    number: int | None
    text: str
    raw: str
    start: int
    end: int
    children: list[Item] = field(default_factory=list)

    def full_text(self) -> str:
        """The item's text with nested items appended, one per line."""
        parts = [self.text] + [c.full_text() for c in self.children]
        return "\n".join(p for p in parts if p)


@dataclass
class Block:
    kind: str  # heading | paragraph | list | other
    start: int  # 1-based inclusive
    end: int
    path: tuple[str, ...]
    text: str = ""
    raw: str = ""
    level: int = 0
    items: list[Item] = field(default_factory=list)


@dataclass
class Outline:
    lines: list[str]
    blocks: list[Block]

    def source(self, start: int, end: int) -> str:
        return "\n".join(self.lines[start - 1 : end])


def build_outline(spec_id: str, text: str) -> Outline:
    """Parse markdown once; reject unclosed fences because they swallow the rest of the spec."""
    lines = text.split("\n")
    tokens = _MD.parse(text)
    _check_fences(spec_id, tokens, lines)
    blocks: list[Block] = []
    stack: list[tuple[int, str]] = []
    _walk(SyntaxTreeNode(tokens).children, lines, stack, blocks)
    return Outline(lines=lines, blocks=blocks)


def _walk(
    nodes: list[SyntaxTreeNode], lines: list[str], stack: list[tuple[int, str]], out: list[Block]
) -> None:
    """Flatten top-level nodes (and blockquote contents) into blocks in document order."""
    for node in nodes:
        if node.map is None:
            continue
        start, end = _span(node.map, lines)
        if node.type == "heading":
            level = int(node.tag[1])
            title = inline_text(node.children[0]) if node.children else ""
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            path = tuple(t for _, t in stack)
            out.append(Block("heading", start, end, path, text=title, level=level))
            continue
        path = tuple(t for _, t in stack)
        if node.type == "paragraph":
            inline = node.children[0]
            out.append(Block("paragraph", start, end, path, inline_text(inline), inline.content))
        elif node.type in ("bullet_list", "ordered_list"):
            out.append(Block("list", start, end, path, items=_items(node, lines)))
        elif node.type in _CONTAINERS:
            _walk(node.children, lines, stack, out)
        else:
            out.append(Block("other", start, end, path))


def _items(list_node: SyntaxTreeNode, lines: list[str]) -> list[Item]:
    """Turn a list node into items; nested lists become children of their item."""
    result: list[Item] = []
    for li in list_node.children:
        info = li.info if li.info.isdigit() else ""
        start, end = _span(li.map or [0, 0], lines)
        paragraphs = [c for c in li.children if c.type == "paragraph"]
        item = Item(
            number=int(info) if info else None,
            text="\n".join(inline_text(p.children[0]) for p in paragraphs),
            raw="\n".join(p.children[0].content for p in paragraphs),
            start=start,
            end=end,
        )
        for child in li.children:
            if child.type in ("bullet_list", "ordered_list"):
                item.children.extend(_items(child, lines))
        result.append(item)
    return result


def inline_text(inline: SyntaxTreeNode) -> str:
    """Plain text of an inline node: markup dropped, code spans kept, line breaks as spaces."""
    parts: list[str] = []
    for tok in inline.children:
        _collect_text(tok, parts)
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def _collect_text(node: SyntaxTreeNode, parts: list[str]) -> None:
    """Depth-first text gathering; links and emphasis wrap text nodes so recursion is needed."""
    if node.type in ("text", "code_inline", "html_inline"):
        parts.append(node.content)
    elif node.type in ("softbreak", "hardbreak"):
        parts.append(" ")
    elif node.type == "image":
        parts.append(node.content)
    for child in node.children:
        _collect_text(child, parts)


def _span(map_: list[int] | tuple[int, int], lines: list[str]) -> tuple[int, int]:
    """markdown-it maps are 0-based half-open and may include trailing blank lines; trim them."""
    start, end = map_[0], map_[1]
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start + 1, max(end, start + 1)


def _check_fences(spec_id: str, tokens: list[Token], lines: list[str]) -> None:
    """A fence that runs to EOF without a closing marker is unclosed (markdown-it accepts it)."""
    for tok in tokens:
        if tok.type != "fence" or tok.map is None:
            continue
        if any(ln.strip() for ln in lines[tok.map[1] :]):
            continue  # something follows the fence, so markdown-it found its closing marker
        opener = tok.markup
        body = lines[tok.map[0] + 1 : tok.map[1]]
        last = body[-1].lstrip(" >") if body else ""
        closed = last.rstrip().startswith(opener) and not last.strip().strip(opener[0])
        if not closed:
            raise SpecInputError(
                spec_id,
                f"the code fence {opener} opened on line {tok.map[0] + 1} is never closed",
                f"Add a line with {opener} where the code block ends",
            )
