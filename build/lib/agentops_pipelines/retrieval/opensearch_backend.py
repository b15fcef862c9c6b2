"""OpenSearch backend (opensearch-py): BM25 match, k-NN, and the normalised hybrid query.

Documents are keyed by chunk ID, so an upsert overwrites in place and a spec's stale chunks are
deleted by ID in the same bulk request. The hybrid query needs a search pipeline, created once
per configuration (`ensure_pipeline`).
"""

from __future__ import annotations

import numpy as np
from opensearchpy import OpenSearch, helpers

from agentops_pipelines.retrieval import opensearch_queries as bodies
from agentops_pipelines.retrieval.backend import HybridConfig
from agentops_pipelines.retrieval.embedded import _section_prefixes
from agentops_pipelines.retrieval.models import Chunk, IndexUpdate, Mode, SearchFilters, SearchHit


class OpenSearchBackend:
    def __init__(
        self,
        client: OpenSearch,
        index: str = "agentops-spec-chunks",
        dim: int = 384,
        hybrid: HybridConfig | None = None,
        pipeline: str = "agentops-hybrid",
    ) -> None:
        self.client, self.index, self.dim, self.pipeline = client, index, dim, pipeline
        self.hybrid = hybrid or HybridConfig()
        self._pipeline_ready = False

    def ensure_index(self) -> None:
        if not self.client.indices.exists(index=self.index):
            self.client.indices.create(index=self.index, body=bodies.index_body(self.dim))

    def ensure_pipeline(self) -> None:
        """Only a real cluster (neural-search plugin) has search pipelines; not the test server."""
        self.client.transport.perform_request(
            "PUT", f"/_search/pipeline/{self.pipeline}", body=bodies.pipeline_body(self.hybrid)
        )

    def _existing(self, spec_id: str) -> dict[str, str]:
        body = {"query": {"term": {"spec_id": spec_id}}, "_source": ["content_hash"]}
        return {
            hit["_id"]: hit["_source"].get("content_hash", "")
            for hit in helpers.scan(self.client, index=self.index, query=body)
        }

    def upsert_spec(self, spec_id: str, chunks: list[Chunk], vectors: np.ndarray) -> IndexUpdate:
        self.ensure_index()
        existing = self._existing(spec_id)
        wanted = {c.chunk_id for c in chunks}
        actions: list[dict] = [
            {"_op_type": "delete", "_index": self.index, "_id": cid}
            for cid in existing
            if cid not in wanted
        ]
        upserted = 0
        for chunk, vec in zip(chunks, vectors, strict=True):
            if existing.get(chunk.chunk_id) == chunk.content_hash:
                continue
            upserted += 1
            actions.append(
                {
                    "_op_type": "index",
                    "_index": self.index,
                    "_id": chunk.chunk_id,
                    "_source": self._source(chunk, vec),
                }
            )
        if actions:
            helpers.bulk(self.client, actions, refresh="wait_for")
        return IndexUpdate(
            spec_id=spec_id,
            upserted=upserted,
            deleted=len(existing) - len([c for c in existing if c in wanted]),
        )

    def delete_spec(self, spec_id: str) -> IndexUpdate:
        return self.upsert_spec(spec_id, [], np.zeros((0, self.dim), dtype=np.float32))

    @staticmethod
    def _source(chunk: Chunk, vec: np.ndarray) -> dict:
        return {
            "chunk_id": chunk.chunk_id,
            "spec_id": chunk.spec_id,
            "workspace": chunk.workspace,
            "section": _section_prefixes(chunk.section_path),
            "section_path": chunk.section_path,
            "requirement_ids": chunk.requirement_ids,
            "content_hash": chunk.content_hash,
            "text": chunk.text,
            "embedding": [round(float(x), 6) for x in vec],
        }

    def spec_ids(self) -> list[str]:
        if not self.client.indices.exists(index=self.index):
            return []
        body = {"size": 0, "aggs": {"specs": {"terms": {"field": "spec_id", "size": 10000}}}}
        res = self.client.search(index=self.index, body=body)
        return sorted(b["key"] for b in res["aggregations"]["specs"]["buckets"])

    def request_for(
        self, query: str, vector: np.ndarray | None, mode: Mode, filters: SearchFilters, top_k: int
    ) -> tuple[dict, dict]:
        """(body, params) for one search; split out so tests can assert the exact request."""
        if mode == "bm25" or vector is None:
            return bodies.search_body(bodies.bm25_query(query, filters), top_k), {}
        vec = [float(x) for x in vector]
        k = max(top_k, self.hybrid.candidates)
        if mode == "dense":
            return bodies.search_body(bodies.knn_query(vec, top_k, filters), top_k), {}
        return bodies.hybrid_body(query, vec, k, top_k, filters), {"search_pipeline": self.pipeline}

    def search(
        self, query: str, vector: np.ndarray | None, mode: Mode, filters: SearchFilters, top_k: int
    ) -> list[SearchHit]:
        if not self.client.indices.exists(index=self.index):
            return []
        body, params = self.request_for(query, vector, mode, filters, top_k)
        if params and not self._pipeline_ready:
            self.ensure_pipeline()  # idempotent PUT; a real cluster needs it before `hybrid`
            self._pipeline_ready = True
        res = self.client.search(index=self.index, body=body, params=params)
        default = ["bm25", "dense"] if mode == "hybrid" else [mode]
        hits = []
        for hit in res["hits"]["hits"]:
            src = hit["_source"]
            named = [n for n in hit.get("matched_queries", []) if n in ("bm25", "dense")]
            hits.append(
                SearchHit(
                    chunk_id=src["chunk_id"],
                    spec_id=src["spec_id"],
                    text=src["text"],
                    requirement_ids=src.get("requirement_ids", []),
                    section_path=src.get("section_path", []),
                    score=float(hit["_score"]),
                    matched_by=named or default,  # type: ignore[arg-type]
                )
            )
        return hits
