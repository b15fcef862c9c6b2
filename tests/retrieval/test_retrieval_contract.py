"""Both backends against the same contract (OpenSearch via osmem-server over HTTP, BM25 paths)."""

from __future__ import annotations

import uuid

import pytest
from conftest import make_doc

from agentops_pipelines.retrieval.backend import Retriever
from agentops_pipelines.retrieval.chunking import chunk_spec
from agentops_pipelines.retrieval.models import SearchFilters


@pytest.fixture(params=["embedded", "opensearch"])
def backend(request, tmp_path):
    if request.param == "embedded":
        from agentops_pipelines.retrieval.embedded import EmbeddedBackend

        return EmbeddedBackend(tmp_path / "search_index")
    from opensearchpy import OpenSearch

    from agentops_pipelines.retrieval.opensearch_backend import OpenSearchBackend

    url = request.getfixturevalue("osmem_url")
    return OpenSearchBackend(OpenSearch(hosts=[url]), index=f"t-{uuid.uuid4().hex[:8]}")


def ingest(backend, embedder, doc, workspace="default"):
    chunks = chunk_spec(doc, workspace=workspace)
    return backend.upsert_spec(doc.spec_id, chunks, embedder.embed([c.text for c in chunks]))


def bm25(backend, query, **filters):
    return backend.search(query, None, "bm25", SearchFilters(**filters), 10)


def test_bm25_hits_carry_the_result_contract(backend, embedder) -> None:
    ingest(backend, embedder, make_doc("billing/spec.md"))
    ingest(backend, embedder, make_doc("auth/spec.md"))
    hits = bm25(backend, "password reset link")
    assert hits[0].chunk_id == "auth/spec.md#req:FR-002"
    assert hits[0].spec_id == "auth/spec.md"
    assert hits[0].requirement_ids == ["FR-002"]
    assert hits[0].section_path == ["Auth", "Recovery"]
    assert hits[0].matched_by == ["bm25"] and hits[0].score > 0
    assert "reset link" in hits[0].text
    assert sorted(backend.spec_ids()) == ["auth/spec.md", "billing/spec.md"]


def test_filters_by_spec_workspace_and_section(backend, embedder) -> None:
    ingest(backend, embedder, make_doc("billing/spec.md"), workspace="acme")
    ingest(backend, embedder, make_doc("auth/spec.md"), workspace="globex")
    assert {h.spec_id for h in bm25(backend, "email", spec_ids=["billing/spec.md"])} == {
        "billing/spec.md"
    }
    assert {h.spec_id for h in bm25(backend, "email", workspace="globex")} == {"auth/spec.md"}
    ids = {h.chunk_id for h in bm25(backend, "email password invoice", section_prefix="Auth")}
    assert ids and all(i.startswith("auth/spec.md#") for i in ids)
    deep = bm25(backend, "invoice", section_prefix="Billing > Invoices")
    assert [h.chunk_id for h in deep] == ["billing/spec.md#req:FR-001"]


def test_one_requirement_edit_updates_one_chunk_of_one_spec(backend, embedder) -> None:
    first = ingest(backend, embedder, make_doc("billing/spec.md"))
    ingest(backend, embedder, make_doc("auth/spec.md"))
    assert first.upserted == 4
    again = ingest(backend, embedder, make_doc("billing/spec.md"))
    assert (again.upserted, again.deleted) == (0, 0)
    edited = make_doc("billing/spec.md", edits={"FR-003": "Refunds go back by bank transfer."})
    update = ingest(backend, embedder, edited)
    assert (update.upserted, update.deleted) == (1, 0)
    assert bm25(backend, "bank transfer")[0].chunk_id == "billing/spec.md#req:FR-003"
    assert not [h for h in bm25(backend, "30 days") if h.chunk_id.endswith("FR-003")]


def test_removed_requirement_and_deleted_spec_leave_results(backend, embedder) -> None:
    ingest(backend, embedder, make_doc("billing/spec.md"))
    ingest(backend, embedder, make_doc("auth/spec.md"))
    update = ingest(backend, embedder, make_doc("billing/spec.md", drop={"FR-002"}))
    assert (update.upserted, update.deleted) == (0, 1)
    assert "billing/spec.md#req:FR-002" not in {h.chunk_id for h in bm25(backend, "credit card")}
    gone = backend.delete_spec("auth/spec.md")
    assert gone.deleted == 3
    assert not [h for h in bm25(backend, "password email") if h.spec_id == "auth/spec.md"]
    assert backend.spec_ids() == ["billing/spec.md"]


def test_embedded_dense_and_hybrid_find_paraphrases(tmp_path, embedder) -> None:
    from agentops_pipelines.retrieval.embedded import EmbeddedBackend

    backend = EmbeddedBackend(tmp_path / "idx")
    ingest(backend, embedder, make_doc("billing/spec.md"))
    ingest(backend, embedder, make_doc("auth/spec.md"))
    retriever = Retriever(backend, embedder)
    dense = retriever.search("I forgot my credentials", mode="dense", top_k=3)
    assert dense[0].chunk_id == "auth/spec.md#req:FR-002" and dense[0].matched_by == ["dense"]
    hybrid = retriever.search("refund a payment", top_k=3)
    assert hybrid[0].chunk_id == "billing/spec.md#req:FR-003"
    assert hybrid[0].matched_by == ["bm25", "dense"]
    filtered = retriever.search("password", SearchFilters(spec_ids=["billing/spec.md"]), top_k=5)
    assert filtered and {h.spec_id for h in filtered} == {"billing/spec.md"}


def test_a_second_process_view_sees_committed_writes(tmp_path, embedder) -> None:
    from agentops_pipelines.retrieval.embedded import EmbeddedBackend

    writer = EmbeddedBackend(tmp_path / "idx")
    reader = EmbeddedBackend(tmp_path / "idx")
    assert reader.search("invoice", None, "bm25", SearchFilters(), 5) == []
    ingest(writer, embedder, make_doc("billing/spec.md"))
    vec = embedder.embed_query("monthly invoice email")
    hits = reader.search("monthly invoice email", vec, "hybrid", SearchFilters(), 5)
    assert hits[0].chunk_id == "billing/spec.md#req:FR-001"
    writer.delete_spec("billing/spec.md")
    assert reader.search("monthly invoice email", vec, "hybrid", SearchFilters(), 5) == []


def test_empty_query_is_refused_with_a_hint(tmp_path, embedder) -> None:
    from agentops_pipelines.retrieval.embedded import EmbeddedBackend

    with pytest.raises(ValueError, match="empty"):
        Retriever(EmbeddedBackend(tmp_path / "idx"), embedder).search("   ")
