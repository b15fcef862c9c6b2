"""Markdown made safe to display: raw HTML removed and dangerous link schemes neutralised.

Streamlit is always called with unsafe_allow_html=False, which already escapes HTML; we strip it
too so the stored/served text carries no script or iframe for any other front end (the API, an
export). markdown-it finds the HTML the way a renderer would, instead of a fragile regex; nh3
(the ammonia sanitiser) decides which attributes of an inline tag are dangerous, the way a browser
parses them (`<img src="x"/onerror=...>` included). Bodies pass here on upload and on download.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3
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
_HANDLER = re.compile(r"[\s/\"'`]on[a-z]+\s*=", re.IGNORECASE)
_BAD_AUTOLINK = re.compile(r"<\s*(?:javascript|vbscript|data|file)\s*:[^>]*>", re.IGNORECASE)
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|file|livescript):", re.IGNORECASE)
_INLINE_DEST = re.compile(r"(\]\(\s*<?)((?:[^()\s>]|\([^()\s]*\))+)")
_ANY_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_REFERENCE_DEST = re.compile(r"^(\s{0,3}\[[^\]\n]+\]:\s*<?)(\S+)", re.MULTILINE)
_SAFE_TAGS = {
    "a",
    "abbr",
    "b",
    "br",
    "code",
    "del",
    "em",
    "i",
    "img",
    "kbd",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "u",
}
_SAFE_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}}


class _Attributes(HTMLParser):
    """Tag name and attribute names of one tag, as an HTML parser (and a browser) reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, set[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name for name, _ in attrs}))

    handle_startendtag = handle_starttag


def _tags(fragment: str) -> list[tuple[str, set[str]]]:
    parser = _Attributes()
    parser.feed(fragment)
    parser.close()
    return parser.found


def _dangerous(tag: str) -> bool:
    """A known tag whose attributes nh3 would strip (handlers, javascript: URLs, style...)."""
    if _HANDLER.search(tag):
        return True
    found = _tags(tag)
    if not found or found[0][0] not in _SAFE_TAGS:
        return False  # not a real inline tag (e.g. a `<placeholder>` word): escaped, not run
    cleaned = nh3.clean(
        tag,
        tags=_SAFE_TAGS,
        attributes=_SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    kept = _tags(cleaned)
    return not kept or kept[0][1] != found[0][1]


def _bad_destination(dest: str) -> bool:
    """`JaVa&#115;cript:`, `java\tscript:` and friends are javascript: to a browser."""
    plain = re.sub(r"[\x00-\x20]", "", html.unescape(dest))
    return bool(_BAD_SCHEME.match(plain))


def _neutralise_links(text: str) -> str:
    def inline(match: re.Match[str]) -> str:
        return match[1] + ("#removed-link" if _bad_destination(match[2]) else match[2])

    text = _INLINE_DEST.sub(inline, text)
    return _REFERENCE_DEST.sub(inline, text)


def plain_title(value: str) -> str:
    """A title as plain text: markdown links keep their label, HTML tags and markup go."""
    value = re.sub(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)", r"\1", value)
    value = re.sub(r"!?\[([^\]]*)\]\[[^\]]*\]", r"\1", value)
    value = re.sub(r"<[^>]*>", "", value)
    value = re.sub(r"[*_`~#>|\[\]]", "", value)
    return re.sub(r"\s+", " ", html.unescape(value)).strip()


def escape_markdown(value: str) -> str:
    """Plain text shown inside st.markdown: every markdown control character escaped."""
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~])", r"\\\1", value)


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
        clean = clean.replace(tag, "" if _dangerous(tag) else "\\" + tag)
    # Tags markdown-it does not see as HTML (`<img src="x"/onerror=...>`) are still tags to a
    # browser: drop every dangerous one wherever it is.
    clean = _ANY_TAG.sub(lambda m: "" if _dangerous(m[0]) else m[0], clean)
    clean = _BAD_LINK.sub("](#removed-link)", clean)
    clean = _neutralise_links(clean)
    return _BAD_AUTOLINK.sub("", clean)


def contains_html(text: str) -> bool:
    return bool(_html_line_spans(text) or _inline_html(text))
