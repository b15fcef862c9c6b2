"""Spec parsing: bytes -> text (`decode_spec`) -> `SpecDocument` (`parse_spec`).

Formats (detected from content): GitHub spec-kit, Kiro, OpenSpec, plain markdown. Built on
markdown-it-py's token stream so headings, lists and code fences follow CommonMark.
"""

from agentops_pipelines.specs.parsing.decode import MAX_SPEC_BYTES, decode_spec
from agentops_pipelines.specs.parsing.ids import derived_id, normalise
from agentops_pipelines.specs.parsing.parse import parse_spec

__all__ = ["MAX_SPEC_BYTES", "decode_spec", "derived_id", "normalise", "parse_spec"]
