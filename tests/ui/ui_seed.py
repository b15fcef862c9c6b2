"""Spec documents for the UI tests, built directly from the Pydantic models, and a seeder."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.specs.models import (
    AcceptanceCriterion,
    Requirement,
    RequirementDiff,
    RequirementKind,
    SourceInfo,
    SourceSpan,
    SpecDocument,
    SpecFormat,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APP_DIR = PROJECT_ROOT / "streamlit_app"
PAGES_DIR = APP_DIR / "app_pages"

# What the assertions look for: titles, and the spec that lacks criteria.
SEEDED_TITLES = ["Billing invoices", "Team invitations", "Log search CLI"]
SPEC_WITHOUT_CRITERIA = "team-invitations/requirements.md"
REQUIREMENT_WITHOUT_CRITERIA = "REQ-2"


def _criterion(req_id: str, n: int, text: str) -> AcceptanceCriterion:
    return AcceptanceCriterion(
        id=f"{req_id}.AC-{n}", text=text, style="ears", span=SourceSpan(start_line=n, end_line=n)
    )


def _requirement(
    req_id: str,
    text: str,
    criteria: list[str],
    *,
    priority: str | None = None,
    clarifications: list[str] | None = None,
) -> Requirement:
    return Requirement(
        id=req_id,
        id_source="author",
        kind=RequirementKind.FUNCTIONAL,
        title=text.split(",")[0],
        text=text,
        priority=priority,
        acceptance_criteria=[_criterion(req_id, i, c) for i, c in enumerate(criteria, 1)],
        clarifications=clarifications or [],
        span=SourceSpan(start_line=1, end_line=3),
        content_hash=f"hash-{req_id}",
    )


def seeded_documents() -> list[SpecDocument]:
    billing = SpecDocument(
        spec_id="billing-invoices/spec.md",
        format=SpecFormat.SPEC_KIT,
        title="Billing invoices",
        content_hash="c1",
        source=SourceInfo(
            root="specs", path="billing-invoices/spec.md", commit="0123456789abcdef", author="Ada"
        ),
        diff=RequirementDiff(
            added=["FR-003"],
            changed=["FR-001"],
            removed=["FR-009"],
            previous_text={"FR-001": "Issue invoices quarterly", "FR-009": "Keep invoices forever"},
        ),
        requirements=[
            _requirement("FR-001", "Issue invoices monthly, in EUR", ["WHEN a month ends ..."]),
            _requirement("FR-002", "Email invoices, as PDF", ["GIVEN a customer ...", "THEN ..."]),
            _requirement("FR-003", "Credit notes, for refunds", ["WHEN a refund is made ..."]),
        ],
    )
    invitations = SpecDocument(
        spec_id=SPEC_WITHOUT_CRITERIA,
        format=SpecFormat.KIRO,
        title="Team invitations",
        content_hash="c2",
        requirements=[
            _requirement(
                "REQ-1", "Invite by email, with a role", ["WHEN invited ..."], priority="P1"
            ),
            _requirement(
                REQUIREMENT_WITHOUT_CRITERIA,
                "Expire invitations, after a while",
                [],
                priority="P2",
                clarifications=["How long before an invitation expires?"],
            ),
        ],
    )
    logs = SpecDocument(
        spec_id="log-search-cli/spec.md",
        format=SpecFormat.PLAIN,
        title="Log search CLI",
        content_hash="c3",
        diff=RequirementDiff(),
        requirements=[_requirement("R-1", "Search logs, by regex", ["WHEN a pattern is given"])],
    )
    return [billing, invitations, logs]


def seed_artefacts(root: Path) -> Path:
    store = ArtefactStore(root)
    for doc in seeded_documents():
        store.write_model("spec_document", doc.spec_id, doc)
    return root
