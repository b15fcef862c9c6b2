"""`search()` for the CLI, Streamlit and the API: configured from settings, every query logged.

from agentops_pipelines.retrieval.service import search
for hit in search("how are invoices emailed"):
    print(hit.score, hit.chunk_id, hit.text)
"""

from __future__ import annotations

import os
import time

from agentops_pipelines.retrieval.backend import Retriever
from agentops_pipelines.retrieval.factory import make_backend, shared_embedder
from agentops_pipelines.retrieval.models import Mode, SearchFilters, SearchHit
from agentops_pipelines.retrieval.query_log import record_query
from agentops_pipelines.settings import Settings, load_settings
from agentops_pipelines.store.db import open_store


def retriever_from_settings(settings: Settings) -> tuple[Retriever, str]:
    kind = os.environ.get("AGENTOPS_SEARCH_BACKEND", "embedded")
    backend = make_backend(
        kind,
        settings.artefact_root / "search_index",
        opensearch_url=os.environ.get("AGENTOPS_OPENSEARCH_URL"),
        opensearch_index=os.environ.get("AGENTOPS_OPENSEARCH_INDEX", "agentops-spec-chunks"),
    )
    return Retriever(backend, shared_embedder()), kind


def search(
    query: str,
    filters: SearchFilters | None = None,
    top_k: int = 10,
    mode: Mode = "hybrid",
    settings: Settings | None = None,
    source: str = "cli",
) -> list[SearchHit]:
    s = settings or load_settings()
    retriever, kind = retriever_from_settings(s)
    filters = filters or SearchFilters()
    start = time.perf_counter()
    hits = retriever.search(query, filters, top_k, mode)
    latency_ms = (time.perf_counter() - start) * 1000
    record_query(
        open_store(s.app_db_url),
        query=query,
        mode=mode,
        backend=kind,
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
