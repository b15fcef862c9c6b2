"""Lint findings the parser attaches to a document: warnings, never parse failures."""

from __future__ import annotations

from agentops_pipelines.specs.criteria import needs_own_criteria
from agentops_pipelines.specs.models import Finding, Requirement, SpecFormat


def lint(requirements: list[Requirement], fmt: SpecFormat) -> list[Finding]:
    if not requirements:
        return [
            Finding(
                code="no-requirements",
                severity="warning",
                message="No requirements found: add SHALL/MUST statements or a known spec format",
            )
        ]
    findings: list[Finding] = []
    for req in requirements:
        if not req.acceptance_criteria and needs_own_criteria(fmt, req):
            findings.append(
                Finding(
                    code="missing-acceptance-criteria",
                    severity="warning",
                    message=f"{req.id} has no acceptance criteria",
                    requirement_id=req.id,
                    line=req.span.start_line,
                )
            )
        for text in req.clarifications:
            findings.append(
                Finding(
                    code="unresolved-clarification",
                    severity="warning",
                    message=f"{req.id} needs clarification: {text}",
                    requirement_id=req.id,
                    line=req.span.start_line,
                )
            )
    return findings
