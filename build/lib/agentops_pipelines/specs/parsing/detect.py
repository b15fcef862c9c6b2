"""Which of the four formats a spec is written in, judged from its content alone."""

from __future__ import annotations

from collections.abc import Callable

from agentops_pipelines.specs.models import SpecFormat
from agentops_pipelines.specs.parsing.drafts import Draft
from agentops_pipelines.specs.parsing.kiro import is_kiro, parse_kiro
from agentops_pipelines.specs.parsing.openspec import is_openspec, parse_openspec
from agentops_pipelines.specs.parsing.outline import Outline
from agentops_pipelines.specs.parsing.plain import parse_plain
from agentops_pipelines.specs.parsing.spec_kit import is_spec_kit, parse_spec_kit

Parser = Callable[[Outline], list[Draft]]

# Most specific signature first: spec-kit's bold FR items would otherwise read as plain text,
# and Kiro's numbered "Requirement 1:" must win over OpenSpec's "Requirement:".
_DETECTORS: list[tuple[SpecFormat, Callable[[Outline], bool], Parser]] = [
    (SpecFormat.SPEC_KIT, is_spec_kit, parse_spec_kit),
    (SpecFormat.KIRO, is_kiro, parse_kiro),
    (SpecFormat.OPENSPEC, is_openspec, parse_openspec),
]


def detect_format(outline: Outline) -> tuple[SpecFormat, Parser]:
    for fmt, matches, parser in _DETECTORS:
        if matches(outline):
            return fmt, parser
    return SpecFormat.PLAIN, parse_plain
