"""The one retrieval interface both backends implement, and the query-side wrapper."""

from __future__ import annotations

from typing import Protocol

import numpy as np
from pydantic import BaseModel

from agentops_pipelines.retrieval.fusion import FusionMethod
from agentops_pipelines.retrieval.models import Chunk, IndexUpdate, Mode, SearchFilters, SearchHit


class HybridConfig(BaseModel):
    """Defaults measured on SciFact by benchmarks/retrieval_quality.py (see the README)."""

    method: FusionMethod = "zscore"
    bm25_weight: float = 0.5
    dense_weight: float = 0.5
    candidates: int = 100


class RetrievalBackend(Protocol):
    def upsert_spec(self, spec_id: str, chunks: list[Chunk], vectors: np.ndarray) -> IndexUpdate:
        """Make the index hold exactly these chunks for spec_id (others untouched)."""
        ...

    def delete_spec(self, spec_id: str) -> IndexUpdate: ...

    def search(
        self,
        query: str,
        vector: np.ndarray | None,
        mode: Mode,
        filters: SearchFilters,
        top_k: int,
    ) -> list[SearchHit]: ...

    def spec_ids(self) -> list[str]: ...


class Retriever:
    """Embeds the query (LRU-cached) and asks the backend; what the CLI and Streamlit call."""

    def __init__(self, backend: RetrievalBackend, embedder) -> None:
        self.backend = backend
        self.embedder = embedder

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        top_k: int = 10,
        mode: Mode = "hybrid",
    ) -> list[SearchHit]:
        if not query.strip():
            raise ValueError("search query is empty: type some words to search for")
        vector = None if mode == "bm25" else self.embedder.embed_query(query)
        return self.backend.search(query, vector, mode, filters or SearchFilters(), top_k)
