"""search() as the CLI calls it: settings-driven, every query logged in retrieval_queries."""

from __future__ import annotations

import numpy as np
from conftest import make_doc
from sqlalchemy import select

from agentops_pipelines.retrieval.chunking import chunk_spec
from agentops_pipelines.retrieval.embedded import EmbeddedBackend
from agentops_pipelines.retrieval.query_log import RetrievalQuery
from agentops_pipelines.retrieval.spec_search import search
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import open_store


def test_search_returns_hits_and_logs_latency_and_count(agentops_home, embedder) -> None:
    settings = load_settings()
    doc = make_doc("auth/spec.md")
    chunks = chunk_spec(doc)
    EmbeddedBackend(settings.artefact_root / "search_index").upsert_spec(
        doc.spec_id, chunks, embedder.embed([c.text for c in chunks])
    )
    hits = search("forgot my password", top_k=2)
    assert hits[0].chunk_id == "auth/spec.md#req:FR-002"
    assert len(hits) == 2
    search("nothing matches zzzz", mode="bm25")
    with open_store(settings.app_db_url)() as session:
        rows = session.scalars(select(RetrievalQuery).order_by(RetrievalQuery.id)).all()
    assert [(r.query, r.result_count, r.mode, r.backend) for r in rows] == [
        ("forgot my password", 2, "hybrid", "embedded"),
        ("nothing matches zzzz", 0, "bm25", "embedded"),
    ]
    assert all(r.latency_ms > 0 for r in rows)
    assert np.isfinite(rows[0].latency_ms)


def test_unknown_backend_names_the_setting(agentops_home, monkeypatch) -> None:
    import pytest

    monkeypatch.setenv("AGENTOPS_SEARCH_BACKEND", "elastic")
    with pytest.raises(ValueError, match="embedded, opensearch"):
        search("x")
    monkeypatch.setenv("AGENTOPS_SEARCH_BACKEND", "opensearch")
    monkeypatch.delenv("AGENTOPS_OPENSEARCH_URL", raising=False)
    with pytest.raises(ValueError, match="AGENTOPS_OPENSEARCH_URL"):
        search("x")


def test_format_hits_prints_score_spec_requirements_and_retrievers() -> None:
    from agentops_pipelines.retrieval.models import SearchHit
    from agentops_pipelines.retrieval.spec_search import format_hits

    hit = SearchHit(
        chunk_id="a#req:FR-1",
        spec_id="a/spec.md",
        requirement_ids=["FR-1"],
        text="Invoices\n are   emailed",
        score=0.5,
        matched_by=["bm25", "dense"],
    )
    assert format_hits([hit]) == " 1. 0.500 a/spec.md [FR-1] (bm25+dense)\n    Invoices are emailed"
    assert "no results" in format_hits([])


def test_service_reuses_one_backend_and_sees_new_commits(agentops_home, embedder) -> None:
    """One retriever per process and index: no rebuild per query, yet a writer's commit (a
    Dagster run in another process) is visible to the next query, and a replaced index folder
    is reopened."""
    import shutil

    from agentops_pipelines.retrieval import spec_search

    settings = load_settings()
    root = settings.artefact_root / "search_index"
    first = make_doc("auth/spec.md")
    chunks = chunk_spec(first)
    EmbeddedBackend(root).upsert_spec(
        first.spec_id, chunks, embedder.embed([c.text for c in chunks])
    )
    search("forgot my password")
    retriever, _ = spec_search.retriever_from_settings(settings)
    search("forgot my password")
    assert spec_search.retriever_from_settings(settings)[0] is retriever

    writer = EmbeddedBackend(root)  # a separate writer, as a Dagster run would be
    other = make_doc("billing/spec.md")
    more = chunk_spec(other)
    writer.upsert_spec(other.spec_id, more, embedder.embed([c.text for c in more]))
    hits = search("email a PDF invoice every month", top_k=3)
    assert "billing/spec.md" in {h.spec_id for h in hits}
    assert spec_search.retriever_from_settings(settings)[0] is retriever

    shutil.rmtree(root)
    EmbeddedBackend(root).upsert_spec(
        first.spec_id, chunks, embedder.embed([c.text for c in chunks])
    )
    assert {h.spec_id for h in search("email a PDF invoice every month")} == {"auth/spec.md"}
    assert spec_search.retriever_from_settings(settings)[0] is not retriever
