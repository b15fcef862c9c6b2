"""Markdown made safe to display: raw HTML removed and dangerous link schemes neutralised.

Streamlit is always called with unsafe_allow_html=False, which already escapes HTML; we strip it
too so the stored/served text carries no script or iframe for any other front end (the API, an
export). markdown-it finds the HTML the way a renderer would, instead of a fragile regex.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark")
_BAD_LINK = re.compile(
    r"\]\(\s*<?\s*(?:javascript|vbscript|data|file)\s*:[^()]*(?:\([^()]*\)[^()]*)*\)", re.IGNORECASE
)
_ACTIVE = "script|style|iframe|object|embed|svg|math|template|noscript|frame|frameset"
_ACTIVE_ELEMENT = re.compile(
    rf"<\s*({_ACTIVE})\b[^>]*>.*?<\s*/\s*\1\s*>|<\s*/?\s*(?:{_ACTIVE})\b[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
_BAD_AUTOLINK = re.compile(r"<\s*(?:javascript|vbscript|data|file)\s*:[^>]*>", re.IGNORECASE)


def _html_line_spans(text: str) -> list[tuple[int, int]]:
    return [tuple(t.map) for t in _MD.parse(text) if t.type == "html_block" and t.map]  # type: ignore[misc]


def _inline_html(text: str) -> set[str]:
    found: set[str] = set()
    for token in _MD.parse(text):
        for child in token.children or []:
            if child.type == "html_inline":
                found.add(child.content)
    return found


def sanitize_markdown(text: str) -> str:
    """Drop HTML blocks, show inline tags as inert text, neutralise javascript:/data: links.

    Inline tags are escaped rather than deleted because templates use `<placeholder>` words
    that markdown parses as tags; escaped, they read as typed and can never become markup.
    """
    text = _ACTIVE_ELEMENT.sub("", text)
    lines = text.splitlines(keepends=True)
    for start, end in sorted(_html_line_spans(text), reverse=True):
        del lines[start:end]
    clean = "".join(lines)
    for tag in sorted(_inline_html(clean), key=len, reverse=True):
        clean = clean.replace(tag, "" if _HANDLER.search(tag) else "\\" + tag)
    clean = _BAD_LINK.sub("](#removed-link)", clean)
    return _BAD_AUTOLINK.sub("", clean)


def contains_html(text: str) -> bool:
    return bool(_html_line_spans(text) or _inline_html(text))
