from __future__ import annotations

import numpy as np
from conftest import make_doc

from agentops_pipelines.retrieval.chunking import chunk_spec
from agentops_pipelines.retrieval.embed_cache import EmbeddingCache, embed_chunks


def test_vectors_are_normalised_and_semantic(embedder) -> None:
    vecs = embedder.embed(
        ["invoices are sent monthly", "a bill is mailed every month", "the cat sat"]
    )
    assert vecs.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert vecs[0] @ vecs[1] > 0.4 > vecs[0] @ vecs[2]


def test_batch_and_single_embeddings_agree(embedder) -> None:
    texts = ["short", "a much longer sentence about password reset links sent by email"]
    batch = embedder.embed(texts)
    assert np.allclose(batch[1], embedder.embed([texts[1]])[0], atol=1e-4)


def test_query_cache_is_lru_and_bounded(monkeypatch) -> None:
    from agentops_pipelines.retrieval.embedding import MiniLMEmbedder

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # files come from installed packages only
    small = MiniLMEmbedder(query_cache_size=2)
    a = small.embed_query("alpha")
    small.embed_query("beta")
    assert small.embed_query("alpha") is a  # hit, now most recent
    small.embed_query("gamma")  # evicts beta
    assert set(small._cache) == {"alpha", "gamma"}


def test_cache_embeds_only_the_edited_chunk(tmp_path, embedder) -> None:
    cache = EmbeddingCache(tmp_path / "cache.sqlite", embedder.name)
    chunks = chunk_spec(make_doc("billing/spec.md"))
    _, computed, hits = embed_chunks(chunks, embedder, cache)
    assert (computed, hits) == (len(chunks), 0)
    edited = chunk_spec(make_doc("billing/spec.md", edits={"FR-003": "Refunds within 60 days."}))
    vectors, computed, hits = embed_chunks(edited, embedder, cache)
    assert (computed, hits) == (1, len(chunks) - 1)
    assert vectors.shape == (len(chunks), 384)
