"""Retrieval test fixtures: SpecDocuments built directly, the real embedder, osmem-server."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from agentops_pipelines.retrieval.embedding import MiniLMEmbedder
from agentops_pipelines.specs.models import (
    Requirement,
    Section,
    SourceSpan,
    SpecDocument,
    SpecFormat,
)

REQS = {
    "billing/spec.md": [
        (
            "FR-001",
            ["Billing", "Invoices"],
            "The system shall email a PDF invoice to the customer every month.",
        ),
        (
            "FR-002",
            ["Billing", "Payments"],
            "Customers must be able to pay an invoice by credit card.",
        ),
        ("FR-003", ["Billing", "Refunds"], "An administrator can refund a payment within 30 days."),
    ],
    "auth/spec.md": [
        ("FR-001", ["Auth", "Login"], "Users sign in with their email address and a password."),
        (
            "FR-002",
            ["Auth", "Recovery"],
            "A user who forgot the password receives a reset link by email.",
        ),
    ],
}


def make_doc(
    spec_id: str, edits: dict[str, str] | None = None, drop: set[str] | None = None
) -> SpecDocument:
    edits, drop = edits or {}, drop or set()
    reqs = []
    for n, (rid, path, text) in enumerate(REQS[spec_id]):
        if rid in drop:
            continue
        text = edits.get(rid, text)
        reqs.append(
            Requirement(
                id=rid,
                id_source="author",
                text=text,
                section_path=path,
                span=SourceSpan(start_line=10 + n * 3, end_line=11 + n * 3),
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    title = spec_id.split("/")[0].title()
    sections = [
        Section(
            path=[title],
            level=1,
            title=title,
            text=f"Overview of the {title} feature.",
            span=SourceSpan(start_line=1, end_line=3),
        )
    ]
    return SpecDocument(
        spec_id=spec_id,
        format=SpecFormat.SPEC_KIT,
        title=f"{title} spec",
        content_hash=hashlib.sha256(repr(reqs).encode()).hexdigest(),
        sections=sections,
        requirements=reqs,
    )


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def osmem_url() -> Iterator[str]:
    from osmem_server import OsmemServer

    with OsmemServer.start(addr="127.0.0.1:0") as server:
        yield server.url
