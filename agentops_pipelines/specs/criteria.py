"""Which requirements must carry acceptance criteria of their own, by each format's convention.

One rule for the parser's lint, the `acceptance_criteria_present` check, the plan's risks and the
SpecGPT gaps, so a clean spec is clean everywhere.
"""

from __future__ import annotations

import re

from agentops_pipelines.specs.models import Requirement, RequirementKind, SpecFormat

_NFR = re.compile(r"^NFR|non-functional|nonfunctional|quality attribute", re.I)
_NFR_TITLE = re.compile(r"performance|scalab|availability|reliability|latency|usability", re.I)


def is_nfr(req: Requirement) -> bool:
    """An NFR by ID (NFR-2), by section ("Non-functional requirements") or by its title."""
    title = req.title or ""
    return bool(
        _NFR.search(req.id)
        or any(_NFR.search(p) for p in req.section_path)
        or _NFR_TITLE.search(title)
    )


def needs_own_criteria(fmt: SpecFormat, req: Requirement) -> bool:
    """spec-kit puts its acceptance scenarios under the user stories: FR-### and SC-### bullets
    are checked through them (and SCs are measurable outcomes themselves). NFRs are judged on
    measurability instead, and plain prose with a derived ID is context, not a requirement."""
    if is_nfr(req) or req.kind is RequirementKind.SUCCESS_CRITERION:
        return False
    if fmt is SpecFormat.SPEC_KIT and req.kind is not RequirementKind.USER_STORY:
        return False
    return not (fmt is SpecFormat.PLAIN and req.id_source == "derived")


def missing_criteria(fmt: SpecFormat, requirements: list[Requirement]) -> list[Requirement]:
    """The requirements that should have acceptance criteria and have none."""
    return [r for r in requirements if needs_own_criteria(fmt, r) and not r.acceptance_criteria]
