"""parse_spec: text -> SpecDocument, in any of the supported formats."""

from __future__ import annotations

from pathlib import PurePosixPath

from agentops_pipelines.specs.models import SourceInfo, SpecDocument
from agentops_pipelines.specs.parsing.assemble import assemble
from agentops_pipelines.specs.parsing.budget import ParseBudget
from agentops_pipelines.specs.parsing.detect import detect_format
from agentops_pipelines.specs.parsing.ids import sha256
from agentops_pipelines.specs.parsing.lint import lint
from agentops_pipelines.specs.parsing.outline import Outline, build_outline
from agentops_pipelines.specs.parsing.sections import build_sections

_GENERIC_STEMS = {"spec", "requirements", "readme", "index"}
# Template headings that name the kind of document, not the feature (Kiro's "Requirements
# Document", spec-kit's "Feature Specification"): the folder names the feature instead.
_GENERIC_TITLES = {"requirements document", "requirements", "feature specification", "spec"}


def parse_spec(
    spec_id: str,
    text: str,
    source: SourceInfo | None = None,
    budget: ParseBudget | None = None,
) -> SpecDocument:
    """Parse a decoded spec within `budget` (time and size); raises SpecInputError for unclosed
    fences, duplicate IDs and a spec over its budget."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    outline = build_outline(spec_id, text, budget)
    fmt, parser = detect_format(outline)
    requirements = assemble(spec_id, outline, parser(outline))
    return SpecDocument(
        spec_id=spec_id,
        format=fmt,
        title=_title(spec_id, outline),
        content_hash=sha256(text),
        source=source,
        sections=build_sections(outline),
        requirements=requirements,
        findings=lint(requirements, fmt),
    )


def _title(spec_id: str, outline: Outline) -> str:
    """First H1 unless it is a template's generic heading; else the file stem, or its folder
    when the stem is a generic `spec.md` name."""
    path = PurePosixPath(spec_id)
    for block in outline.blocks:
        if block.kind == "heading" and block.level == 1 and block.text:
            if block.text.strip().lower() not in _GENERIC_TITLES or not path.parent.name:
                return block.text
            break
    if path.stem.lower() in _GENERIC_STEMS and path.parent.name:
        return path.parent.name
    return path.stem or spec_id
