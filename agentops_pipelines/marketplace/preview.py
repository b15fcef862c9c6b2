"""What a viewer may read of a template: all of a free one, a preview of a paid one.

The detail view (page and API) used to return a paid template's whole body, so "buy" bought
nothing the reader did not already have. Before purchase a paid template shows its outline (the
headings) and its opening lines; the author and a buyer see it all.
"""

from __future__ import annotations

from collections.abc import Callable

from agentops_pipelines.marketplace.models import TemplateDetail

PREVIEW_LINES = 8
PREVIEW_CHARS = 600
PREVIEW_NOTE = "Preview: buy this template for your workspace to read the whole of it."


def preview_text(content: str, lines: int = PREVIEW_LINES, chars: int = PREVIEW_CHARS) -> str:
    """The title and introduction (up to the second heading, at most `lines` lines and `chars`
    characters), then the headings of the rest as an outline: the structure, not the criteria."""
    body = content.splitlines()
    opening: list[str] = []
    used, headings, index = 0, 0, len(body)
    for i, line in enumerate(body):
        is_heading = line.lstrip().startswith("#")
        headings += is_heading
        if headings > 1 or len(opening) >= lines or used + len(line) > chars:
            index = i
            break
        opening.append(line)
        used += len(line) + 1
    rest = [line for line in body[index:] if line.lstrip().startswith("#")]
    text = "\n".join(opening).rstrip()
    if rest:
        outline = "\n".join(f"- {line.lstrip('# ').strip()}" for line in rest)
        text += f"\n\n**Outline:**\n\n{outline}"
    return text


def for_viewer(
    detail: TemplateDetail, workspace: str, user: str, entitled: Callable[[str, str], bool]
) -> TemplateDetail:
    """`detail` as `user` of `workspace` may see it: a paid template they have not bought (and
    did not write) keeps its card, versions and reviews, with a preview instead of its body."""
    if detail.price_cents == 0 or detail.author == user or entitled(workspace, detail.slug):
        return detail
    return detail.model_copy(
        update={"content": preview_text(detail.content), "files": {}, "preview": True}
    )
