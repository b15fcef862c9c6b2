"""Quality checks on a parsed spec, shared by the Dagster asset checks and the Streamlit page."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from agentops_pipelines.specs.criteria import missing_criteria
from agentops_pipelines.specs.models import SpecDocument

MetadataValue = str | int | float | list[str]


class CheckOutcome(BaseModel):
    name: str
    passed: bool
    severity: Literal["ERROR", "WARN"]
    description: str
    metadata: dict[str, MetadataValue] = Field(default_factory=dict)


def check_parses(doc: SpecDocument) -> CheckOutcome:
    """ERROR unless the spec has at least one requirement and no error-severity finding."""
    errors = [f"{f.code}: {f.message}" for f in doc.findings if f.severity == "error"]
    count = len(doc.requirements)
    passed = count > 0 and not errors
    if passed:
        description = f"{count} requirements parsed ({doc.format.value})"
    elif errors:
        description = f"{len(errors)} error finding(s) in the spec"
    else:
        description = "No requirements found: add SHALL/MUST statements or use a known format"
    return CheckOutcome(
        name="spec_parses",
        passed=passed,
        severity="ERROR",
        description=description,
        metadata={"requirements": count, "format": doc.format.value, "errors": errors},
    )


def check_acceptance_criteria(doc: SpecDocument) -> CheckOutcome:
    """WARN when a requirement that should have acceptance criteria (by its format's convention)
    has none, listing those requirement IDs."""
    missing = [r.id for r in missing_criteria(doc.format, doc.requirements)]
    total = len(doc.requirements)
    return CheckOutcome(
        name="acceptance_criteria_present",
        passed=not missing,
        severity="WARN",
        description=(
            f"All {total} requirements have acceptance criteria"
            if not missing
            else f"{len(missing)} of {total} requirements have no acceptance criteria"
        ),
        metadata={
            "missing": missing,
            "missing_count": len(missing),
            "criteria": doc.criteria_count,
        },
    )


def check_clarifications(doc: SpecDocument) -> CheckOutcome:
    """WARN while any [NEEDS CLARIFICATION] marker is open, listing them with requirement IDs."""
    open_items = [f"{r.id}: {text}" for r in doc.requirements for text in r.clarifications]
    return CheckOutcome(
        name="clarifications_resolved",
        passed=not open_items,
        severity="WARN",
        description=(
            "No open clarification markers"
            if not open_items
            else f"{len(open_items)} [NEEDS CLARIFICATION] marker(s) still open"
        ),
        metadata={
            "open": open_items,
            "open_count": len(open_items),
            "requirement_ids": sorted({r.id for r in doc.requirements if r.clarifications}),
        },
    )


def run_all_checks(doc: SpecDocument) -> list[CheckOutcome]:
    return [check_parses(doc), check_acceptance_criteria(doc), check_clarifications(doc)]
