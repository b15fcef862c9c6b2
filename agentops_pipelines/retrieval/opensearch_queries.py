"""The JSON bodies the OpenSearch backend sends, as pure functions so tests can assert them.

Formats follow the OpenSearch documentation: `knn_vector` mapping with an HNSW method, the `knn`
query with an efficient (in-graph) `filter`, the `hybrid` compound query, and a search pipeline
whose `normalization-processor` (min_max / z_score) or `score-ranker-processor` (rrf) fuses the
sub-query scores.
"""

from __future__ import annotations

import re

from agentops_pipelines.retrieval.backend import HybridConfig
from agentops_pipelines.retrieval.lexicon import expansions
from agentops_pipelines.retrieval.models import SearchFilters


def index_body(dim: int, shards: int = 1, replicas: int = 0) -> dict:
    keyword = {"type": "keyword"}
    return {
        "settings": {
            "index": {"knn": True, "number_of_shards": shards, "number_of_replicas": replicas}
        },
        "mappings": {
            "properties": {
                "chunk_id": keyword,
                "spec_id": keyword,
                "workspace": keyword,
                "section": keyword,
                "requirement_ids": keyword,
                "content_hash": keyword,
                "section_path": {"type": "keyword", "index": False},
                "text": {"type": "text", "analyzer": "english"},
                "embedding": {
                    "type": "knn_vector",
                    "dimension": dim,
                    "method": {
                        "name": "hnsw",
                        "space_type": "innerproduct",
                        "engine": "faiss",
                        "parameters": {"m": 16, "ef_construction": 128},
                    },
                },
            }
        },
    }


def filter_clauses(filters: SearchFilters) -> list[dict]:
    clauses: list[dict] = []
    if filters.spec_ids is not None:
        clauses.append({"terms": {"spec_id": filters.spec_ids}})
    if filters.workspace:
        clauses.append({"term": {"workspace": filters.workspace}})
    if filters.section_prefix:
        clauses.append({"term": {"section": filters.section_prefix}})
    return clauses


def bm25_query(text: str, filters: SearchFilters) -> dict:
    """The user's words must match; their base forms and synonyms (`lexicon`) add half a say."""
    body: dict = {
        "bool": {
            "must": [{"match": {"text": {"query": text, "_name": "bm25"}}}],
            "filter": filter_clauses(filters),
        }
    }
    extra = expansions(re.findall(r"\w+", text.lower()))
    if extra:
        body["bool"]["should"] = [{"match": {"text": {"query": " ".join(extra), "boost": 0.5}}}]
    return body


def knn_query(vector: list[float], k: int, filters: SearchFilters) -> dict:
    body: dict = {"vector": vector, "k": k, "_name": "dense"}
    clauses = filter_clauses(filters)
    if clauses:
        body["filter"] = {"bool": {"filter": clauses}}
    return {"knn": {"embedding": body}}


def search_body(query: dict, size: int) -> dict:
    return {"size": size, "query": query, "_source": {"excludes": ["embedding"]}}


def hybrid_body(text: str, vector: list[float], k: int, size: int, filters: SearchFilters) -> dict:
    return search_body(
        {"hybrid": {"queries": [bm25_query(text, filters), knn_query(vector, k, filters)]}}, size
    )


def pipeline_body(config: HybridConfig) -> dict:
    weights = [config.bm25_weight, config.dense_weight]
    if config.method == "rrf":
        return {
            "description": "agentops hybrid: reciprocal rank fusion",
            "phase_results_processors": [
                {
                    "score-ranker-processor": {
                        "combination": {"technique": "rrf", "rank_constant": 60}
                    }
                }
            ],
        }
    technique = "min_max" if config.method == "minmax" else "z_score"
    return {
        "description": f"agentops hybrid: {technique} + weighted arithmetic mean",
        "phase_results_processors": [
            {
                "normalization-processor": {
                    "normalization": {"technique": technique},
                    "combination": {
                        "technique": "arithmetic_mean",
                        "parameters": {"weights": weights},
                    },
                }
            }
        ],
    }
