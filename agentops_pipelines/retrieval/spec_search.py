"""`search()` for the CLI, Streamlit and the API: configured from settings, every query logged.

from agentops_pipelines.retrieval.spec_search import search
for hit in search("how are invoices emailed"):
    print(hit.score, hit.chunk_id, hit.text)

One retriever per process and index (cached): the embedded backend keeps its HNSW graph and
tantivy reader open and reloads them only when a writer commits new index files (their mtime),
and the app store is migrated once per process, not once per query.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from agentops_pipelines.retrieval.backend import Retriever
from agentops_pipelines.retrieval.factory import backend_from_settings, shared_embedder
from agentops_pipelines.retrieval.models import Mode, SearchFilters, SearchHit
from agentops_pipelines.retrieval.query_log import record_query
from agentops_pipelines.settings import RetrievalSettings, Settings, get_settings
from agentops_pipelines.store.db import open_store


@dataclass
class _CachedRetriever:
    retriever: Retriever
    kind: str
    # One query at a time per index: the backend swaps its HNSW graph in place on reload.
    lock: threading.Lock = field(default_factory=threading.Lock)
    identity: int | None = None


@lru_cache(maxsize=8)
def _cached_retriever(retrieval: RetrievalSettings, index_root: str) -> _CachedRetriever:
    backend = backend_from_settings(retrieval, Path(index_root))
    return _CachedRetriever(Retriever(backend, shared_embedder()), retrieval.backend)


def _index_identity(index_root: str) -> int:
    """The inode of the chunk store: a new one means the index folder was replaced."""
    try:
        return os.stat(os.path.join(index_root, "chunks.db")).st_ino
    except FileNotFoundError:
        return -1


def _service_for(settings: Settings) -> _CachedRetriever:
    kind = settings.retrieval.backend
    key = (settings.retrieval, str(settings.artefact_root / "search_index"))
    cached = _cached_retriever(*key)
    if kind == "embedded":
        identity = _index_identity(key[1])
        if cached.identity is None:
            cached.identity = identity
        elif cached.identity != identity:  # deleted and rebuilt under the same path
            _cached_retriever.cache_clear()
            cached = _cached_retriever(*key)
            cached.identity = _index_identity(key[1])
    return cached


def retriever_from_settings(settings: Settings) -> tuple[Retriever, str]:
    """The process's cached retriever for these settings' index (built on first use)."""
    cached = _service_for(settings)
    return cached.retriever, cached.kind


def reset_cache() -> None:
    """Drop cached retrievers (tests that delete an index folder)."""
    _cached_retriever.cache_clear()


def search(
    query: str,
    filters: SearchFilters | None = None,
    top_k: int = 10,
    mode: Mode = "hybrid",
    settings: Settings | None = None,
    source: str = "cli",
) -> list[SearchHit]:
    s = settings or get_settings()
    cached = _service_for(s)
    filters = filters or SearchFilters()
    start = time.perf_counter()
    with cached.lock:
        hits = cached.retriever.search(query, filters, top_k, mode)
    latency_ms = (time.perf_counter() - start) * 1000
    record_query(
        open_store(s.app_db_url),
        query=query,
        mode=mode,
        backend=cached.kind,
        filters=filters.model_dump_json(exclude_none=True),
        top_k=top_k,
        result_count=len(hits),
        latency_ms=latency_ms,
        source=source,
    )
    return hits


def format_hits(hits: list[SearchHit], width: int = 160) -> str:
    """Plain text for `agentops search`: score, spec, requirement IDs, matched_by, snippet."""
    if not hits:
        return "no results (is the search_index asset materialised?)"
    lines = []
    for rank, hit in enumerate(hits, start=1):
        reqs = ",".join(hit.requirement_ids) or " > ".join(hit.section_path)
        snippet = " ".join(hit.text.split())[:width]
        lines.append(
            f"{rank:>2}. {hit.score:.3f} {hit.spec_id} [{reqs}] ({'+'.join(hit.matched_by)})"
            f"\n    {snippet}"
        )
    return "\n".join(lines)
