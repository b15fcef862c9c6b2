"""The one retrieval backend factory: from plain values (the Dagster resource's config) or
from the settings model (the API, pages and CLI through `retrieval.service`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from agentops_pipelines.retrieval.backend import HybridConfig, RetrievalBackend
from agentops_pipelines.retrieval.embedding import MiniLMEmbedder
from agentops_pipelines.settings import RetrievalSettings

BACKENDS = ("embedded", "opensearch")


@lru_cache(maxsize=1)
def shared_embedder() -> MiniLMEmbedder:
    """One ONNX session per process: loading it costs ~0.5 s and 90 MB."""
    return MiniLMEmbedder()


def make_backend(
    kind: str,
    index_root: Path,
    opensearch_url: str | None = None,
    opensearch_index: str = "agentops-spec-chunks",
    hybrid: HybridConfig | None = None,
    verify_certs: bool = True,
) -> RetrievalBackend:
    if kind == "embedded":
        from agentops_pipelines.retrieval.embedded import EmbeddedBackend

        return EmbeddedBackend(index_root, hybrid=hybrid)
    if kind == "opensearch":
        if not opensearch_url:
            raise ValueError(
                "retrieval backend 'opensearch' needs a URL: set AGENTOPS_OPENSEARCH_URL "
                "(e.g. https://user:pass@host:9200) or use AGENTOPS_SEARCH_BACKEND=embedded"
            )
        from opensearchpy import OpenSearch

        from agentops_pipelines.retrieval.opensearch_backend import OpenSearchBackend

        client = OpenSearch(
            hosts=[opensearch_url],
            verify_certs=verify_certs,
        )
        return OpenSearchBackend(client, index=opensearch_index, hybrid=hybrid)
    raise ValueError(f"retrieval backend {kind!r} is unknown: use one of {', '.join(BACKENDS)}")


def backend_from_settings(
    settings: RetrievalSettings, index_root: Path, hybrid: HybridConfig | None = None
) -> RetrievalBackend:
    return make_backend(
        settings.backend,
        index_root,
        opensearch_url=settings.opensearch(),
        opensearch_index=settings.opensearch_index,
        hybrid=hybrid,
        verify_certs=settings.opensearch_verify_certs,
    )
