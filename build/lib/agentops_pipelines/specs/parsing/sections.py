"""Every heading with the text directly under it (up to the next heading of any level)."""

from __future__ import annotations

from agentops_pipelines.specs.models import Section, SourceSpan
from agentops_pipelines.specs.parsing.outline import Outline


def build_sections(outline: Outline) -> list[Section]:
    headings = [b for b in outline.blocks if b.kind == "heading"]
    sections: list[Section] = []
    for idx, head in enumerate(headings):
        next_start = headings[idx + 1].start if idx + 1 < len(headings) else len(outline.lines) + 1
        end = next_start - 1
        while end > head.end and not outline.lines[end - 1].strip():
            end -= 1
        body = outline.source(head.end + 1, end).strip() if end > head.end else ""
        sections.append(
            Section(
                path=list(head.path),
                level=head.level,
                title=head.text,
                text=body,
                span=SourceSpan(start_line=head.start, end_line=end),
            )
        )
    return sections
