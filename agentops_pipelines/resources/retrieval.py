"""The search backend and the embedding model, configured once and handed to the assets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr

from agentops_pipelines.retrieval.backend import HybridConfig, RetrievalBackend
from agentops_pipelines.retrieval.embed_cache import EmbeddingCache
from agentops_pipelines.retrieval.factory import make_backend, shared_embedder
from agentops_pipelines.retrieval.fusion import FusionMethod
from agentops_pipelines.settings import Settings


class SearchBackend(dg.ConfigurableResource):
    """`backend` is "embedded" (default, no server) or "opensearch" (needs `opensearch_url`)."""

    artefact_root: str
    backend: str = "embedded"
    opensearch_url: str | None = None
    opensearch_index: str = "agentops-spec-chunks"
    opensearch_verify_certs: bool = True
    workspace: str = "default"
    fusion: FusionMethod = "zscore"
    bm25_weight: float = 0.5

    _backend: RetrievalBackend | None = PrivateAttr(default=None)
    _cache: EmbeddingCache | None = PrivateAttr(default=None)

    def index(self) -> RetrievalBackend:
        if self._backend is None:
            hybrid = HybridConfig(
                method=self.fusion, bm25_weight=self.bm25_weight, dense_weight=1 - self.bm25_weight
            )
            self._backend = make_backend(
                self.backend,
                Path(self.artefact_root) / "search_index",
                opensearch_url=self.opensearch_url,
                opensearch_index=self.opensearch_index,
                hybrid=hybrid,
                verify_certs=self.opensearch_verify_certs,
            )
        return self._backend

    def embedder(self):
        return shared_embedder()

    def embedding_cache(self) -> EmbeddingCache:
        if self._cache is None:
            path = Path(self.artefact_root) / "embedding_cache.sqlite"
            self._cache = EmbeddingCache(path, self.embedder().name)
        return self._cache


def build_search_backend(settings: Settings) -> SearchBackend:
    """For build_resources(): settings pick the backend; the URL may carry credentials, so it
    is bound by name through dg.EnvVar (Dagster shows the name, never the value)."""
    retrieval = settings.retrieval
    return SearchBackend(
        artefact_root=str(settings.artefact_root),
        backend=retrieval.backend,
        opensearch_url=dg.EnvVar("AGENTOPS_OPENSEARCH_URL") if retrieval.opensearch_url else None,  # type: ignore[arg-type]
        opensearch_index=retrieval.opensearch_index,
        opensearch_verify_certs=retrieval.opensearch_verify_certs,
    )
